import dayjs, { type Dayjs } from 'dayjs';

export interface WindowChoice {
  value: string;
  label: string;
  start: string;
  end: string;
}

const parts = [
  { name: '上午', from: 9 },
  { name: '下午', from: 14 },
  { name: '晚上', from: 19 },
];
const dayName = ['今天', '明天', '后天'];

/** The next wanted windows a resident can pick: two hours in the morning, afternoon or evening, from today on. */
export function windowChoices(now: Dayjs = dayjs(), count = 6): WindowChoice[] {
  const choices: WindowChoice[] = [];
  for (let day = 0; day < dayName.length && choices.length < count; day++) {
    for (const part of parts) {
      const start = now.startOf('day').add(day, 'day').hour(part.from);
      // A window that has started already can still be asked for until an hour before it ends.
      if (start.add(1, 'hour').isBefore(now)) continue;
      if (choices.length === count) break;
      const end = start.add(2, 'hour');
      choices.push({
        value: start.toISOString(),
        label: `${dayName[day]}${part.name} ${start.format('HH:mm')}–${end.format('HH:mm')}`,
        start: start.toISOString(),
        end: end.toISOString(),
      });
    }
  }
  return choices;
}
