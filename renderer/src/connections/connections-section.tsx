import { useCallback, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import { useTranslation } from 'react-i18next';
import type { Connection } from '@shared/api/connections.js';
import { useClient } from '../api/use-client.js';
import { describeApiError } from '../api/describe-api-error.js';
import { MONO_SX } from '../common/mono-text.js';
import { SectionCard } from '../common/section-card.js';
import { useAsync } from '../common/use-async.js';
import { ConnectionDialog } from './connection-dialog.js';

type Notice = { severity: 'success' | 'error'; text: string };

/** The Data sources page's saved connections: list, add, edit, delete and test. */
export function ConnectionsSection() {
  const { t } = useTranslation('connections');
  const { client } = useClient();
  const connections = useAsync(useCallback(() => client.connections.list(), [client]));
  const [dialog, setDialog] = useState<{ editing?: Connection } | undefined>();
  const [notice, setNotice] = useState<Notice>();
  const [testing, setTesting] = useState<string>();

  const test = async (name: string) => {
    setTesting(name);
    try {
      const result = await client.connections.test(name);
      setNotice(result.ok ? { severity: 'success', text: t('testOk', { ms: result.elapsed_ms, message: result.message }) } : { severity: 'error', text: t('testFailed', { message: result.message }) });
    } catch (err) {
      setNotice({ severity: 'error', text: t('testFailed', { message: describeApiError(err).message }) });
    } finally {
      setTesting(undefined);
    }
  };

  const remove = async (name: string) => {
    if (!window.confirm(t('confirmDelete', { name }))) return;
    try {
      await client.connections.delete(name);
      setNotice({ severity: 'success', text: t('deleted', { name }) });
      connections.reload();
    } catch (err) {
      setNotice({ severity: 'error', text: describeApiError(err).message });
    }
  };

  const rows = connections.data ?? [];
  return (
    <SectionCard
      title={t('title')}
      subtitle={t('subtitle')}
      testId="connections-section"
      isFlush
      actions={
        <Button variant="outlined" startIcon={<AddIcon />} onClick={() => setDialog({})} data-testid="add-connection">
          {t('add')}
        </Button>
      }
    >
      {notice && (
        <Alert severity={notice.severity} onClose={() => setNotice(undefined)} sx={{ mx: 2.5, mb: 1.5 }} data-testid="connection-notice">
          {notice.text}
        </Alert>
      )}
      {connections.error !== undefined ? (
        <Alert severity="error" sx={{ mx: 2.5, mb: 2 }}>
          {t('loadFailed')}: {describeApiError(connections.error).message}
        </Alert>
      ) : rows.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.5, pb: 2 }} data-testid="connections-empty">
          {t('empty')}
        </Typography>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label={t('title')}>
            <TableHead>
              <TableRow>
                <TableCell>{t('column.name')}</TableCell>
                <TableCell>{t('column.kind')}</TableCell>
                <TableCell>{t('column.url')}</TableCell>
                <TableCell align="right">{t('column.actions')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((c) => (
                <TableRow key={c.name} data-testid="connection-row" data-connection={c.name}>
                  <TableCell>
                    <Box sx={{ ...MONO_SX, fontWeight: 600 }}>{c.name}</Box>
                    {c.description && (
                      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                        {c.description}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <Chip size="small" variant="outlined" label={t(`kind.${c.kind}`)} />
                  </TableCell>
                  <TableCell sx={{ ...MONO_SX, wordBreak: 'break-all' }} data-testid="connection-url-cell">
                    {c.url}
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    <Button size="small" onClick={() => void test(c.name)} disabled={testing === c.name} data-testid="test-connection">
                      {testing === c.name ? t('testing') : t('test')}
                    </Button>
                    <Button size="small" onClick={() => setDialog({ editing: c })} data-testid="edit-connection">
                      {t('edit')}
                    </Button>
                    <Button size="small" color="error" onClick={() => void remove(c.name)} data-testid="delete-connection">
                      {t('delete')}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      {dialog && (
        <ConnectionDialog
          {...(dialog.editing ? { editing: dialog.editing } : {})}
          onClose={() => setDialog(undefined)}
          onSaved={(saved, needsRestart) => {
            setDialog(undefined);
            setNotice({ severity: 'success', text: needsRestart ? t('savedRestart', { name: saved.name }) : t('saved', { name: saved.name }) });
            connections.reload();
          }}
        />
      )}
    </SectionCard>
  );
}
