import { Fragment, useCallback } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import ArrowForward from '@mui/icons-material/ArrowForward';
import { useTranslation } from 'react-i18next';
import type { LineageKind } from '@shared/api/client.js';
import type { LineageNode } from '@shared/api/transforms.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { useAsync } from '../common/use-async.js';
import { layoutLineage, lineageHref, lineageKindLabel } from './lineage-layout.js';

/** Where an object's data comes from and where it goes, as columns read left to right. */
export function LineageView({ kind, name }: { kind: LineageKind; name: string }) {
  const { t } = useTranslation('registry');
  const { client } = useClient();
  const graph = useAsync(useCallback(() => client.lineage(kind, name), [client, kind, name]));

  if (graph.error !== undefined) return <ErrorAlert error={graph.error} onRetry={graph.reload} />;
  if (!graph.data) return <LoadingState label={t('lineage.tracing')} />;
  if (graph.data.nodes.length <= 1) {
    return (
      <Alert severity="info" data-testid="lineage-empty">
        {t('lineage.empty', { name })}
      </Alert>
    );
  }
  const columns = layoutLineage(graph.data);
  const root = graph.data.root;
  return (
    <Box data-testid="lineage" sx={{ display: 'flex', alignItems: 'stretch', gap: 1, overflowX: 'auto', pb: 1 }}>
      {columns.map((column, index) => (
        <Fragment key={column.depth}>
          {index > 0 && (
            <Box sx={{ display: 'grid', placeItems: 'center', color: 'text.disabled' }} aria-hidden>
              <ArrowForward fontSize="small" />
            </Box>
          )}
          <Box sx={{ display: 'grid', gap: 1, alignContent: 'center', minWidth: 170 }} data-testid="lineage-column">
            {column.nodes.map((node) => (
              <LineageNodeCard key={node.id} node={node} isRoot={node.id === root} />
            ))}
          </Box>
        </Fragment>
      ))}
    </Box>
  );
}

function LineageNodeCard({ node, isRoot }: { node: LineageNode; isRoot: boolean }) {
  const { t } = useTranslation('registry');
  const href = lineageHref(node);
  return (
    <Box
      data-testid="lineage-node"
      data-node-id={node.id}
      data-root={isRoot}
      sx={{
        px: 1.5,
        py: 1,
        border: isRoot ? 2 : 1,
        borderColor: isRoot ? 'primary.main' : 'divider',
        borderRadius: 1.5,
        opacity: node.status === 'archived' ? 0.6 : 1,
      }}
    >
      <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600, display: 'flex', gap: 1, alignItems: 'center' }}>
        {lineageKindLabel(node.kind)}
        {node.version !== null && <Chip size="small" label={`v${node.version}`} sx={{ ...MONO_SX, fontSize: 11, height: 18 }} />}
        {node.status === 'archived' && <Chip size="small" label={t('lineage.archived')} sx={{ fontSize: 11, height: 18 }} />}
      </Typography>
      {href && !isRoot ? (
        <Link component={RouterLink} to={href} underline="hover" sx={{ ...MONO_SX, fontWeight: 600, display: 'block', wordBreak: 'break-all' }}>
          {node.name}
        </Link>
      ) : (
        <Typography sx={{ ...MONO_SX, fontWeight: 600, wordBreak: 'break-all' }}>{node.name}</Typography>
      )}
    </Box>
  );
}
