import { createDeadlines } from './deadlines';
import type { ReportDeps } from './context';
import { createReporterContact } from './contact';
import { createDispatch } from './dispatch';
import { createFiling } from './filing';
import { createLists } from './lists';
import { createMoves } from './moves';
import { createVisibility } from './visibility';

export { AUTO_CLOSE_JOB, DEADLINE_JOB } from './dispatch';
export type { MoveInput } from './moves';

/** Snap-and-report: filing, visibility, the moves of the state machine, deadlines and graded response. */
export function createReportService(deps: ReportDeps) {
  const visibility = createVisibility(deps);
  const lists = createLists(deps, visibility);
  const dispatch = createDispatch(deps);
  const filing = createFiling(deps, lists, dispatch);
  const moves = createMoves(deps, visibility, lists, dispatch);
  const deadlines = createDeadlines(deps, dispatch, moves.move);
  const contact = createReporterContact(deps, visibility);
  return {
    submit: filing.submit,
    submitExternal: filing.submitExternal,
    get: lists.get,
    load: visibility.load,
    handles: visibility.handles,
    act: moves.act,
    follow: moves.follow,
    candidates: moves.candidates,
    contactReporter: contact.reveal,
    nearby: lists.nearby,
    list: lists.list,
    onDeadline: deadlines.onDeadline,
    onAutoClose: deadlines.onAutoClose,
  };
}
export type ReportService = ReturnType<typeof createReportService>;
