import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import Snackbar from '@mui/material/Snackbar';
import Tooltip from '@mui/material/Tooltip';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import { useTranslation } from 'react-i18next';
import type { PreviewParquetRequest, TransformPreview } from '@shared/api/transforms.js';
import { useClient } from '../../api/use-client.js';
import { downloadFile } from '../../definitions/download-file.js';
import { apiErrorOfResponse } from '../../training/download-training-set.js';
import { previewRowsToCsv } from './preview-csv.js';

/** Downloads the previewed rows: CSV written in the page, Parquet written by the service (typed columns). */
export function PreviewExportButtons({ preview, baseName }: { preview: TransformPreview; baseName: string }) {
  const { t } = useTranslation('shortcuts');
  const { client } = useClient();
  const [isWriting, setIsWriting] = useState(false);
  const [problem, setProblem] = useState<string>();
  const fileName = (extension: string) => `${baseName.trim() || 'preview'}.${extension}`;

  const downloadCsv = () => {
    const csv = previewRowsToCsv(
      preview.columns.map((c) => c.name),
      preview.rows,
    );
    downloadFile(fileName('csv'), csv, 'text/csv;charset=utf-8');
  };

  const downloadParquet = async () => {
    setIsWriting(true);
    try {
      const body: PreviewParquetRequest = { columns: preview.columns.map((c) => ({ name: c.name, duck_type: c.duck_type })), rows: preview.rows };
      const res = await fetch(client.transforms.previewParquetUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/vnd.apache.parquet, application/json', ...client.authHeaders() },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw apiErrorOfResponse(res.status, await res.text(), 'POST /api/transforms/preview/parquet');
      downloadFile(fileName('parquet'), new Uint8Array(await res.arrayBuffer()), 'application/vnd.apache.parquet');
    } catch (err) {
      setProblem(t('export.failed', { message: (err as Error).message }));
    } finally {
      setIsWriting(false);
    }
  };

  return (
    <>
      <Tooltip title={t('export.label')}>
        <ButtonGroup size="small" variant="outlined" aria-label={t('export.label')} data-testid="preview-export">
          <Button startIcon={<FileDownloadOutlined />} onClick={downloadCsv} data-testid="export-csv">
            {t('export.csv')}
          </Button>
          <Button onClick={() => void downloadParquet()} disabled={isWriting} data-testid="export-parquet">
            {t('export.parquet')}
          </Button>
        </ButtonGroup>
      </Tooltip>
      <Snackbar open={problem !== undefined} autoHideDuration={8000} onClose={() => setProblem(undefined)}>
        <Alert severity="error" onClose={() => setProblem(undefined)} data-testid="export-problem">
          {problem}
        </Alert>
      </Snackbar>
    </>
  );
}
