/** The service starts its CSV with a byte-order mark for Excel; text views and the clipboard do without. */
export const withoutBom = (csv: string) => csv.replace(/^\uFEFF/, '');

/** The H5 build: save the CSV as a file, as a download link would (with the mark Excel needs for Chinese). */
export function saveCsvFile(csv: string, filename: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', withoutBom(csv)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
