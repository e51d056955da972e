import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import type { AsyncState } from './use-async.js';
import { ErrorAlert } from './error-alert.js';
import { LoadingState } from './loading-state.js';
import { PageHeader } from './page-header.js';

interface RegistryListPageProps<T> {
  title: string;
  subtitle: string;
  state: AsyncState<T[]>;
  loadingLabel: string;
  empty: ReactNode;
  renderTable: (rows: T[]) => ReactNode;
  actions?: ReactNode;
}

/** Shared frame of the read-only listing pages: header, loading, error, empty state, table. */
export function RegistryListPage<T>({ title, subtitle, state, loadingLabel, empty, renderTable, actions }: RegistryListPageProps<T>) {
  return (
    <>
      <PageHeader title={title} subtitle={subtitle} actions={actions} />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        <Box sx={{ height: 2 }}>{state.isLoading && state.data && <LinearProgress sx={{ height: 2 }} />}</Box>
        {state.error !== undefined ? (
          <Box sx={{ p: 2 }}>
            <ErrorAlert error={state.error} onRetry={state.reload} />
          </Box>
        ) : state.data === undefined ? (
          <LoadingState label={loadingLabel} />
        ) : state.data.length === 0 ? (
          empty
        ) : (
          renderTable(state.data)
        )}
      </Paper>
    </>
  );
}
