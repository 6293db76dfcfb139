import { parse } from 'csv-parse/sync';
import { parseAreaHundredths, ROOM_LABEL } from '../../../shared/places';
import type { ImportBody } from '../../../shared/schemas/places';

/** A household row of a structure import, checked and normalised. */
export interface ImportedHousehold {
  line: string;
  estate: string;
  building: string;
  unit: string;
  room: string;
  floor: number;
  areaHundredths: number;
}

export interface ImportProblem {
  path: string;
  message: string;
}

/** CSV columns, in English or as staff usually head them in Chinese. */
const headerAliases = new Map<string, keyof ImportBody['rows'][number]>(
  Object.entries({
    estate: 'estate',
    小区: 'estate',
    building: 'building',
    楼栋: 'building',
    楼号: 'building',
    unit: 'unit',
    单元: 'unit',
    room: 'room',
    房号: 'room',
    门牌号: 'room',
    floor: 'floor',
    楼层: 'floor',
    area: 'area',
    area_m2: 'area',
    面积: 'area',
    专有面积: 'area',
  }),
);
const required = ['estate', 'building', 'unit', 'room', 'floor', 'area'] as const;

/** Reads CSV text (header row first) into import rows, or reports why it cannot. */
export function parseStructureCsv(text: string): { rows: ImportBody['rows']; problems: ImportProblem[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (err) {
    return { rows: [], problems: [{ path: 'csv', message: `CSV 无法解析：${(err as Error).message}` }] };
  }
  const [header, ...body] = records;
  // A Map: a column headed `constructor` or `__proto__` is just an unknown column.
  const columns = (header ?? []).map(
    (name) => headerAliases.get(name.trim().toLowerCase()) ?? headerAliases.get(name.trim()),
  );
  const missing = required.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    return { rows: [], problems: [{ path: 'line 1', message: `表头缺少列：${missing.join(', ')}` }] };
  }
  const rows = body.map((record) => {
    const row: Record<string, string> = {};
    columns.forEach((column, i) => {
      if (column) row[column] = record[i] ?? '';
    });
    return row as ImportBody['rows'][number];
  });
  return { rows, problems: [] };
}

const NAME_MAX = 40;

/**
 * Checks every row and reports each bad one (line and reason), numbered as the source numbers them:
 * CSV lines (the header is line 1) or JSON array positions.
 */
export function validateStructure(
  rows: ImportBody['rows'],
  source: 'csv' | 'json',
): { households: ImportedHousehold[]; problems: ImportProblem[] } {
  const lineOf = (i: number) => (source === 'csv' ? `line ${i + 2}` : `rows[${i}]`);
  const labelOf = (i: number) => (source === 'csv' ? `第${i + 2}行` : `rows[${i}]`);
  const problems: ImportProblem[] = [];
  const households: ImportedHousehold[] = [];
  const seen = new Map<string, number>();

  rows.forEach((row, index) => {
    const line = lineOf(index);
    const reasons: string[] = [];
    const names = {
      estate: String(row.estate ?? '').trim(),
      building: String(row.building ?? '').trim(),
      unit: String(row.unit ?? '').trim(),
    };
    for (const [field, label] of [
      ['estate', '小区'],
      ['building', '楼栋'],
      ['unit', '单元'],
    ] as const) {
      if (!names[field]) reasons.push(`${label}不能为空`);
      else if (names[field].length > NAME_MAX || names[field].includes('/')) reasons.push(`${label}名称无效`);
    }
    const room = String(row.room ?? '').trim();
    if (!ROOM_LABEL.test(room)) reasons.push(`房号"${room}"无效`);
    const floorText = String(row.floor ?? '').trim();
    const floor = /^-?\d{1,3}$/.test(floorText) ? Number(floorText) : NaN;
    if (!Number.isInteger(floor) || floor < -5 || floor > 200 || floor === 0) reasons.push(`楼层"${floorText}"无效`);
    const areaHundredths = parseAreaHundredths(String(row.area ?? ''));
    if (areaHundredths === undefined) reasons.push(`面积"${row.area ?? ''}"无效（正数，最多两位小数）`);

    const key = `${names.estate}/${names.building}/${names.unit}/${room}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) reasons.push(`与${labelOf(earlier)}重复`);

    if (reasons.length > 0) {
      problems.push({ path: line, message: reasons.join('；') });
      return;
    }
    seen.set(key, index);
    households.push({ line, ...names, room, floor, areaHundredths: areaHundredths! });
  });
  return { households, problems };
}
