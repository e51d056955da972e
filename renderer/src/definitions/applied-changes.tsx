import { Fragment } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import type { ApplyResult } from '@shared/api/definitions.js';
import { MONO_SX } from '../common/mono-text.js';
import { lineageHref } from '../lineage/lineage-layout.js';
import { appliedActionWord, appliedSummary, definitionKindLabel, transformsToRerun } from './definition-plan-view-model.js';

/** What an apply wrote: each object with its action and new version, linked to its page. */
export function AppliedChanges({ result, onClose }: { result: ApplyResult; onClose: () => void }) {
  const { t } = useTranslation('definitions');
  const rerun = transformsToRerun(result);
  return (
    <Alert severity="success" onClose={onClose} data-testid="apply-result">
      <AlertTitle>{appliedSummary(result)}</AlertTitle>
      {result.applied.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
          {result.applied.map((a) => {
            const href = lineageHref(a);
            return (
              <li key={`${a.kind}:${a.name}`} data-testid="applied-change" data-kind={a.kind} data-name={a.name} data-action={a.action} data-version={a.version ?? ''}>
                {definitionKindLabel(a.kind)}{' '}
                {href ? (
                  <Link component={RouterLink} to={href} underline="hover" sx={{ ...MONO_SX, fontWeight: 600 }}>
                    {a.name}
                  </Link>
                ) : (
                  <Box component="span" sx={{ ...MONO_SX, fontWeight: 600 }}>
                    {a.name}
                  </Box>
                )}
                : {appliedActionWord(a.action)}
                {a.version !== null && t('appliedVersion', { version: a.version })}
              </li>
            );
          })}
        </Box>
      )}
      {rerun.length > 0 && (
        <Box sx={{ mt: 1 }} data-testid="apply-rerun">
          {t('rerun')}{' '}
          {rerun.map((name, i) => (
            <Fragment key={name}>
              {i > 0 && ', '}
              <Link component={RouterLink} to={`/transforms/${encodeURIComponent(name)}`} underline="hover" sx={{ ...MONO_SX, fontWeight: 600 }}>
                {name}
              </Link>
            </Fragment>
          ))}
        </Box>
      )}
    </Alert>
  );
}
