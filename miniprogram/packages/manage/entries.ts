import type { Action } from '../../../shared/roles';
import type { Me } from '../../../shared/schemas/people';
import type { Entry } from '../../components/entry-list';
import { grantsFor } from '../../utils/permissions';
import { adminRoutes } from '../admin/routes';
import { manageRoutes } from './routes';

const holds = (me: Me | undefined, action: Action) => grantsFor(me, action).length > 0;

/** Whether the user runs anything the 管理 console offers (staff of a community or street, the admin). */
export const runsACommunity = (me: Me | undefined) => holds(me, 'role.grant');

/** The console's pages the user may use, each opened on `community` when given. */
export function manageEntries(me: Me | undefined, community?: string): (Entry | false)[] {
  return [
    holds(me, 'role.grant') && {
      title: '地点与角色',
      note: '社区 → 小区 → 楼栋 → 单元，住户与角色授予',
      icon: 'map-pin',
      url: manageRoutes.places(community),
    },
    holds(me, 'grid.manage') && {
      title: '网格与网格员',
      note: '网格包含的楼栋和负责的网格员',
      icon: 'user',
      url: manageRoutes.grids(community),
    },
    holds(me, 'report.categories') && {
      title: '问题分类',
      note: '处理人、优先级、受理和办结时限、查重半径、隐私',
      icon: 'tags',
      url: manageRoutes.categories(community),
    },
    holds(me, 'structure.manage') && {
      title: '批量导入',
      note: '从 CSV 导入小区、楼栋、单元和房屋，先预览再导入',
      icon: 'upload',
      url: manageRoutes.import(community),
    },
    holds(me, 'report.categories') && {
      title: '开放接口',
      note: 'Open311 接口密钥（12345 热线等外部系统）',
      icon: 'link',
      url: manageRoutes.keys(community),
    },
    holds(me, 'moderation.review') && {
      title: '内容审核',
      note: '被举报或待复核的内容',
      icon: 'eye',
      url: adminRoutes.moderation,
    },
  ];
}
