import { ScrollView, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { AtButton } from 'taro-ui';
import { saveCsvFile, withoutBom } from '../../utils/csv';
import { copyText } from '../../utils/clipboard';
import { inWechat } from '../../utils/platform';
import { toastError } from '../../utils/toast';
import './index.scss';

/**
 * 导出 CSV (a timeline, a service record). WeChat cannot open a CSV as a document: the text shows here to copy
 * into a message or a spreadsheet. In a browser it downloads as a file. `className` places the card.
 */
export function CsvExport({
  load,
  filename,
  className = '',
  label = '导出 CSV',
}: {
  load: () => Promise<string>;
  filename: string;
  className?: string;
  /** The button's words, when a page offers more than one export. */
  label?: string;
}) {
  const [exporting, setExporting] = useState(false);
  const [csv, setCsv] = useState<string>();

  const exportCsv = async () => {
    setExporting(true);
    try {
      const text = await load();
      if (inWechat()) setCsv(withoutBom(text));
      else saveCsvFile(text, filename);
    } catch (err) {
      toastError(err);
    } finally {
      setExporting(false);
    }
  };
  const copy = () => void copyText(csv ?? '');

  return (
    <View className={`card csv-export ${className}`}>
      <AtButton size="small" loading={exporting} disabled={exporting} onClick={exportCsv}>
        {exporting ? '导出中…' : label}
      </AtButton>
      {csv !== undefined && (
        <>
          <ScrollView className="csv-export__text" scrollY scrollX>
            <Text userSelect>{csv}</Text>
          </ScrollView>
          <AtButton size="small" type="primary" onClick={copy}>
            复制到剪贴板
          </AtButton>
        </>
      )}
    </View>
  );
}
