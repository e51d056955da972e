import { useCallback, useMemo, useState } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import type { DataSource } from '@shared/domain/schemas.js';
import { useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { EmptyState } from '../common/empty-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { RegistryListPage } from '../common/registry-list-page.js';
import { StatusChip } from '../common/status-chip.js';
import { useAsync } from '../common/use-async.js';
import { ConnectionsSection } from '../connections/connections-section.js';
import { AddSourceDialog } from './add-source-dialog.js';
import { SOURCE_TYPE_LABELS, describeSourceOrigin } from './source-origin-text.js';

export function DataSourcesPage() {
  const { t } = useTranslation('dataSources');
  const { client } = useClient();
  const sources = useAsync(useCallback(() => client.dataSources.list(), [client]));
  const [isAdding, setIsAdding] = useState(false);
  const [notice, setNotice] = useState<string>();
  const names = useMemo(() => new Set((sources.data ?? []).map((s) => s.name)), [sources.data]);

  const addButton = (
    <Button variant="contained" startIcon={<AddIcon />} onClick={() => setIsAdding(true)} data-testid="add-source">
      {t('list.add')}
    </Button>
  );
  return (
    <>
      {notice && (
        <Alert severity="success" onClose={() => setNotice(undefined)} sx={{ mb: 2 }} data-testid="source-notice">
          {notice}
        </Alert>
      )}
      <RegistryListPage
        title={t('list.title')}
        subtitle={t('list.subtitle')}
        state={sources}
        loadingLabel={t('list.loading')}
        actions={addButton}
        empty={
          <EmptyState icon={<StorageOutlined />} title={t('list.emptyTitle')} testId="data-sources-empty">
            <Typography variant="body2">{t('list.emptyText')}</Typography>
            {addButton}
          </EmptyState>
        }
        renderTable={(rows) => <DataSourcesTable sources={rows} />}
      />
      <Box sx={{ mt: 3 }}>
        <ConnectionsSection />
      </Box>
      {isAdding && (
        <AddSourceDialog
          existingNames={names}
          onClose={() => setIsAdding(false)}
          onCreated={(source, warnings) => {
            setIsAdding(false);
            setNotice(warnings.length > 0 ? t('list.addedWithWarnings', { name: source.name, warnings: warnings.join('; ') }) : t('list.added', { name: source.name }));
            sources.reload();
          }}
        />
      )}
    </>
  );
}

function DataSourcesTable({ sources }: { sources: readonly DataSource[] }) {
  const { t } = useTranslation('dataSources');
  const navigate = useNavigate();
  return (
    <TableContainer>
      <Table size="small" aria-label={t('table.label')} data-testid="data-sources-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('table.name')}</TableCell>
            <TableCell>{t('table.type')}</TableCell>
            <TableCell>{t('table.reads')}</TableCell>
            <TableCell>{t('table.columns')}</TableCell>
            <TableCell align="right">{t('table.version')}</TableCell>
            <TableCell>{t('table.status')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sources.map((s) => {
            const href = `/data-sources/${encodeURIComponent(s.name)}`;
            return (
              <TableRow key={s.name} hover data-testid="data-source-row" data-source={s.name} onClick={() => navigate(href)} sx={{ cursor: 'pointer', '& td': { py: 1.25 } }}>
                <TableCell>
                  <Link component={RouterLink} to={href} underline="hover" onClick={(e) => e.stopPropagation()} sx={{ ...MONO_SX, fontWeight: 600 }}>
                    {s.name}
                  </Link>
                  {s.description && (
                    <Typography variant="caption" component="div" noWrap sx={{ color: 'text.secondary', maxWidth: 320 }}>
                      {s.description}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>{SOURCE_TYPE_LABELS[s.type]}</TableCell>
                <TableCell sx={{ ...MONO_SX, maxWidth: 320, wordBreak: 'break-all' }}>{describeSourceOrigin(s)}</TableCell>
                <TableCell sx={{ ...MONO_SX, color: 'text.secondary', maxWidth: 360 }}>
                  {s.columns.map((c) => c.name).join(', ') || '—'}
                </TableCell>
                <TableCell align="right" sx={MONO_SX}>
                  v{s.version}
                </TableCell>
                <TableCell>
                  <StatusChip status={s.status} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
