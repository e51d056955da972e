import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import CloudUploadOutlined from '@mui/icons-material/CloudUploadOutlined';
import { FilePickerButton } from './file-picker-button.js';

/** Before any file: where to drop it, the picker, and the conventions the columns follow. */
export function IngestLanding({ onFile }: { onFile: (file: File) => void }) {
  return (
    <Paper
      variant="outlined"
      data-testid="ingest-landing"
      sx={{ p: { xs: 3, md: 6 }, borderStyle: 'dashed', borderWidth: 2, textAlign: 'center', display: 'grid', gap: 2, justifyItems: 'center' }}
    >
      <CloudUploadOutlined color="primary" sx={{ fontSize: 56 }} />
      <Typography variant="h6" component="h2" sx={{ fontWeight: 650 }}>
        Drop a CSV, Parquet, JSON or NDJSON file anywhere in this window
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: 640 }}>
        You will see its first rows and what each column becomes before anything is written. The entity key is the
        column <code>&lt;entity&gt;_id</code>, <code>entity_key</code> or <code>id</code>; the event time{' '}
        <code>event_timestamp</code> or <code>timestamp</code> (ISO-8601), else the ingestion time; you can choose others.
        Every other column is a feature: new ones are registered with the type read from the data.
      </Typography>
      <FilePickerButton label="Choose a file" onFile={onFile} />
      <Box>
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          Ingestions run as jobs: follow them on the{' '}
          <Link component={RouterLink} to="/jobs">
            Jobs
          </Link>{' '}
          page.
        </Typography>
      </Box>
    </Paper>
  );
}
