import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Link from '@mui/material/Link';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import type { DefinitionPlan, PlannedChange } from '@shared/api/definitions.js';
import { PlanChangeCard, type PlanChipColor } from '../common/plan-change-card.js';
import { MONO_SX } from '../common/mono-text.js';
import { lineageHref } from '../lineage/lineage-layout.js';
import {
  PLAN_ACTION_SIGNS,
  definitionKindLabel,
  orderedPlanChanges,
  planActionLabel,
  planSummary,
  planVersionTransition,
  warningsByObject,
  type PlanAction,
} from './definition-plan-view-model.js';

const ACTION_COLORS: Record<PlanAction, PlanChipColor> = {
  create: 'success',
  update: 'primary',
  restore: 'secondary',
  archive: 'warning',
  unchanged: 'default',
  not_listed: 'default',
};

interface DefinitionPlanViewProps {
  plan: DefinitionPlan;
  isPruning: boolean;
}

/** What applying would do, like `fstore plan`: per object the action, field changes, impact, and the naming hints. */
export function DefinitionPlanView({ plan, isPruning }: DefinitionPlanViewProps) {
  const { t } = useTranslation('definitions');
  const [isUnchangedShown, setIsUnchangedShown] = useState(false);
  const ordered = orderedPlanChanges(plan.changes);
  const unchangedCount = ordered.filter((c) => c.action === 'unchanged').length;
  const shown = isUnchangedShown ? ordered : ordered.filter((c) => c.action !== 'unchanged');
  const warnings = warningsByObject(plan.warnings);

  return (
    <Box sx={{ display: 'grid', gap: 2 }} data-testid="definition-plan">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
        <Typography variant="body1" sx={{ fontWeight: 600, flex: 1, minWidth: 280 }} data-testid="plan-summary">
          {planSummary(plan, isPruning)}
        </Typography>
        {unchangedCount > 0 && (
          <FormControlLabel
            control={<Switch size="small" checked={isUnchangedShown} onChange={(e) => setIsUnchangedShown(e.target.checked)} data-testid="show-unchanged" />}
            label={t('view.showUnchanged', { count: unchangedCount })}
          />
        )}
      </Box>
      {plan.breaking && (
        <Alert severity="error" variant="outlined" data-testid="plan-breaking">
          <AlertTitle>{t('view.breakingTitle')}</AlertTitle>
          {t('view.breakingBody')}
        </Alert>
      )}
      {unchangedCount === ordered.length && (
        <Alert severity="success" data-testid="plan-no-changes">
          {t('view.noChanges')}
        </Alert>
      )}
      {shown.length > 0 && (
        <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0, display: 'grid', gap: 1.5 }}>
          {shown.map((change) => (
            <PlannedChangeItem key={`${change.kind}:${change.name}`} change={change} />
          ))}
        </Box>
      )}
      {warnings.size > 0 && (
        <Alert severity="warning" data-testid="plan-warnings">
          <AlertTitle>{t('view.hintsTitle')}</AlertTitle>
          {t('view.hintsBody')}
          <Box component="ul" sx={{ m: 0, mt: 1, pl: 2.5 }}>
            {[...warnings].map(([key, hints]) => (
              <li key={key} data-testid="plan-warning" data-object={key}>
                <Box component="span" sx={{ fontWeight: 600 }}>
                  {definitionKindLabel(hints[0]!.kind)}{' '}
                  <Box component="span" sx={MONO_SX}>
                    {hints[0]!.name}
                  </Box>
                </Box>
                <Box component="ul" sx={{ m: 0, pl: 2 }}>
                  {hints.map((h) => (
                    <li key={h.rule}>{h.message}</li>
                  ))}
                </Box>
              </li>
            ))}
          </Box>
        </Alert>
      )}
    </Box>
  );
}

function PlannedChangeItem({ change }: { change: PlannedChange }) {
  const { t } = useTranslation('definitions');
  const label = definitionKindLabel(change.kind);
  return (
    <PlanChangeCard
      kind={change.kind}
      name={change.name}
      kindLabel={label}
      action={change.action}
      actionLabel={planActionLabel(change.action)}
      actionColor={ACTION_COLORS[change.action]}
      isMuted={change.action === 'unchanged' || change.action === 'not_listed'}
      versionText={planVersionTransition(change)}
      versionBefore={change.version_before}
      breaking={change.breaking}
      breakingChip={<Chip size="small" color="error" label={t('view.breaking')} data-testid="change-breaking" />}
      changes={change.changes}
      href={change.action === 'create' ? undefined : lineageHref(change)}
      sign={PLAN_ACTION_SIGNS[change.action]}
      isBreakingOutlined
      footer={
        <>
          {change.dependents.length > 0 && <RefChips label={t('view.affects')} testId="change-dependents" refs={change.dependents} />}
          {change.feature_services.length > 0 && (
            <Typography variant="caption" sx={{ color: 'text.secondary' }} data-testid="change-feature-services">
              {t('view.reaches', { count: change.feature_services.length })}
            </Typography>
          )}
          {change.recompute.length > 0 && (
            <RefChips label={t('view.rerun')} testId="change-recompute" refs={change.recompute.map((name) => ({ kind: 'transform', name }))} />
          )}
        </>
      }
    >
      {change.breaking && change.reasons.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 3, color: 'error.main', typography: 'body2' }} data-testid="change-reasons">
          {change.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </Box>
      )}
      {change.action === 'not_listed' && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('view.notListed')}
        </Typography>
      )}
    </PlanChangeCard>
  );
}

function RefChips({ label, refs, testId }: { label: string; refs: readonly { kind: string; name: string }[]; testId: string }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, flexWrap: 'wrap' }} data-testid={testId}>
      <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600, mr: 0.5 }}>
        {label}
      </Typography>
      {refs.map((ref) => {
        const href = lineageHref(ref);
        const text = `${definitionKindLabel(ref.kind)} ${ref.name}`;
        return (
          <Chip
            key={`${ref.kind}:${ref.name}`}
            size="small"
            variant="outlined"
            label={
              href ? (
                <Link component={RouterLink} to={href} underline="hover" color="inherit">
                  {text}
                </Link>
              ) : (
                text
              )
            }
          />
        );
      })}
    </Box>
  );
}
