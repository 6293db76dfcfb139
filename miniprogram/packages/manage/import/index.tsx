import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { AtButton, AtTextarea } from 'taro-ui';
import { formatAreaHundredths } from '../../../../shared/places';
import type { ImportPreview } from '../../../../shared/schemas/manage';
import type { NodeRef } from '../../../../shared/schemas/people';
import type { ImportResult } from '../../../../shared/schemas/places';
// First: the console's login prompt keeps its stylesheet ahead of page-state's, as on the other pages.
import { ConsolePage, Section } from '../components/console';
import { FormError } from '../../../components/form-error';
import { useSubmit } from '../../../hooks/use-submit';
import { manageApi } from '../../../services/manage-api';
import { pickCsvFile } from '../csv-file';
import { manageRoutes } from '../routes';
import { openPage } from '../../../utils/routes';

const HEADER = '小区,楼栋,单元,房号,楼层,面积';
const SHOWN = 50;
/** The CSV limit of the service's import route. */
const MAX_LENGTH = 5 * 1024 * 1024;

/** 'line 3' → 第3行, 'line 1' → 表头 (the service numbers rows as the file does, the header being line 1). */
function where(path: string): string {
  const line = /^line (\d+)$/.exec(path)?.[1];
  if (!line) return '文件';
  return line === '1' ? '表头' : `第${line}行`;
}

function PreviewView({ preview }: { preview: ImportPreview }) {
  return (
    <Section title="预览">
      <Text>
        共 {preview.rowCount} 行，可导入 {preview.validCount} 户（{preview.places.estates} 个小区、
        {preview.places.buildings} 栋楼、{preview.places.units} 个单元）
        {preview.problems.length > 0 ? `，${preview.problems.length} 处有误` : ''}
      </Text>
      {preview.problems.map((p) => (
        <Text key={p.path + p.message} className="manage__problem">
          {where(p.path)}：{p.message}
        </Text>
      ))}
      <View className="manage__table">
        {preview.rows.slice(0, SHOWN).map((r) => (
          <Text key={r.line} className="manage__note">
            {where(r.line)} {r.estate} {r.building} {r.unit} {r.room}室 · {r.floor}层 ·{' '}
            {formatAreaHundredths(r.areaHundredths)}㎡
          </Text>
        ))}
        {preview.validCount > SHOWN && <Text className="manage__note">……另有 {preview.validCount - SHOWN} 户</Text>}
      </View>
    </Section>
  );
}

function ResultView({ result, community }: { result: ImportResult; community: NodeRef }) {
  const { created } = result;
  return (
    <Section title="导入完成">
      <Text>
        新建 {created.estates} 个小区、{created.buildings} 栋楼、{created.units} 个单元、{created.households} 户
        {created.grids > 0 ? `、${created.grids} 个网格` : ''}
      </Text>
      <Text className="manage__note">
        更新 {result.updatedHouseholds} 户（楼层或面积有变），{result.unchangedHouseholds} 户未变
      </Text>
      <AtButton type="secondary" onClick={() => openPage(manageRoutes.places(community.id))}>
        查看地点
      </AtButton>
    </Section>
  );
}

function ImportForm({ community }: { community: NodeRef }) {
  const [csv, setCsv] = useState(`${HEADER}\n`);
  const [preview, setPreview] = useState<ImportPreview>();
  const [result, setResult] = useState<ImportResult>();
  const { busy, error, setError, run } = useSubmit();
  const edit = (text: string) => {
    setCsv(text);
    // A preview describes the text it was made of: an edit needs a new one before importing.
    setPreview(undefined);
    setResult(undefined);
  };
  const pick = async () => {
    try {
      const text = await pickCsvFile();
      if (text !== undefined) edit(text);
    } catch {
      setError('文件读取失败，请重新选择或直接粘贴内容');
    }
  };
  const check = async () => {
    if (csv.length > MAX_LENGTH) return setError('文件过大（上限 5 MB），请分批导入');
    const answer = await run(() => manageApi.previewImport(community.id, csv));
    if (answer) setPreview(answer);
  };
  const confirm = async () => {
    const answer = await run(() => manageApi.importCsv(community.id, csv));
    if (answer) {
      setResult(answer);
      setPreview(undefined);
    }
  };
  return (
    <>
      <Section title={`导入到 ${community.name}`}>
        <Text className="manage__note">
          选择文件或从表格复制粘贴。每行一户，第一行为表头：{HEADER}（也可用
          estate,building,unit,room,floor,area）。已有的地点和房屋不会重复建立。
        </Text>
        <AtTextarea
          value={csv}
          maxLength={MAX_LENGTH}
          count={false}
          height={320}
          placeholder="从表格复制粘贴到这里"
          disabled={busy}
          onChange={(v: string) => edit(v)}
        />
        <AtButton type="secondary" disabled={busy} onClick={pick}>
          选择 CSV 文件
        </AtButton>
        <FormError message={error} />
        <AtButton type={preview ? 'secondary' : 'primary'} loading={busy && !preview} disabled={busy} onClick={check}>
          预览
        </AtButton>
        {preview && (
          <AtButton
            type="primary"
            loading={busy}
            disabled={busy || preview.problems.length > 0 || preview.validCount === 0}
            onClick={confirm}
          >
            {preview.problems.length > 0 ? '请先改正有误的行' : `确认导入 ${preview.validCount} 户`}
          </AtButton>
        )}
      </Section>
      {preview && <PreviewView preview={preview} />}
      {result && <ResultView result={result} community={community} />}
    </>
  );
}

/** 批量导入: a community's estates, buildings, units and households from CSV, previewed row by row first. */
export default function ManageImportPage() {
  return (
    <ConsolePage action="structure.manage" login="登录后导入小区和住户">
      {(community) => <ImportForm community={community} />}
    </ConsolePage>
  );
}
