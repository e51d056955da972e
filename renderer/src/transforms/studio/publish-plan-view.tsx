import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { ObjectChange, PublishPlan } from '@shared/api/transforms.js';
import { useTranslation } from 'react-i18next';
import { PlanChangeCard, type PlanChipColor } from '../../common/plan-change-card.js';
import { lineageHref } from '../../lineage/lineage-layout.js';
import { actionLabel, kindLabel, orderedChanges, summarizePlan, versionTransition } from './publish-plan-view-model.js';
import { OutputFeaturesTable } from '../output-features-table.js';

const ACTION_COLORS: Record<ObjectChange['action'], PlanChipColor> = {
  create: 'success',
  update: 'primary',
  archive: 'warning',
  unchanged: 'default',
};

function BreakingChip({ testId }: { testId: string }) {
  const { t } = useTranslation('transforms');
  return <Chip size="small" color="error" label={t('plan.breaking')} data-testid={testId} title={t('plan.breakingHint')} />;
}

/** Everything publishing would do: each object with its field changes, the output, who depends on it. */
export function PublishPlanView({ plan }: { plan: PublishPlan }) {
  const { t } = useTranslation('transforms');
  return (
    <Box sx={{ display: 'grid', gap: 2.5 }} data-testid="publish-plan">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="body1" sx={{ fontWeight: 600 }} data-testid="plan-summary">
          {summarizePlan(plan)}
        </Typography>
        {plan.breaking && <BreakingChip testId="plan-breaking" />}
      </Box>
      {plan.breaking && (
        <Alert severity="error" variant="outlined">
          <AlertTitle>{t('plan.breakingTitle')}</AlertTitle>
          {t('plan.breakingText')}
        </Alert>
      )}
      {plan.warnings.length > 0 && (
        <Alert severity="warning" data-testid="plan-warnings">
          <Box component="ul" sx={{ m: 0, pl: 2 }}>
            {plan.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </Box>
        </Alert>
      )}
      <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0, display: 'grid', gap: 1.5 }}>
        {orderedChanges(plan).map((change) => (
          <PlanChangeCard
            key={`${change.kind}:${change.name}`}
            kind={change.kind}
            name={change.name}
            kindLabel={kindLabel(change.kind)}
            action={change.action}
            actionLabel={actionLabel(change.action)}
            actionColor={ACTION_COLORS[change.action]}
            isMuted={change.action === 'unchanged'}
            versionText={versionTransition(change)}
            versionBefore={change.version_before}
            breaking={change.breaking}
            breakingChip={<BreakingChip testId="change-breaking" />}
            changes={change.changes}
          />
        ))}
      </Box>
      {plan.output.length > 0 && (
        <Box>
          <Typography variant="subtitle2" sx={{ fontWeight: 650, mb: 1 }}>
            {t('plan.outputFeatures')}
          </Typography>
          <OutputFeaturesTable features={plan.output} linkNames={false} testId="plan-output" rowTestId="plan-output-row" />
        </Box>
      )}
      <Box>
        <Typography variant="subtitle2" sx={{ fontWeight: 650, mb: 1 }}>
          {t('plan.dependents')}
        </Typography>
        {plan.dependents.length === 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="plan-no-dependents">
            {t('plan.noDependents')}
          </Typography>
        ) : (
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
            {plan.dependents.map((d) => {
              const href = lineageHref(d);
              const label = `${kindLabel(d.kind)} ${d.name}`;
              return (
                <Chip
                  key={`${d.kind}:${d.name}`}
                  size="small"
                  variant="outlined"
                  data-testid="plan-dependent"
                  label={
                    href ? (
                      <Link component={RouterLink} to={href} underline="hover" color="inherit">
                        {label}
                      </Link>
                    ) : (
                      label
                    )
                  }
                />
              );
            })}
          </Box>
        )}
      </Box>
    </Box>
  );
}
