import { useCallback, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import NotificationsNoneOutlined from '@mui/icons-material/NotificationsNoneOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import type { AlertRule, RuleEvaluation } from '@shared/api/monitoring.js';
import { useClient } from '../api/use-client.js';
import { EmptyState } from '../common/empty-state.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { SectionCard } from '../common/section-card.js';
import { useAsync } from '../common/use-async.js';
import { sortAlerts } from './alert-order.js';
import { AlertsList } from './alerts-list.js';
import { NewRuleDialog } from './new-rule-dialog.js';
import { RulesTable } from './rules-table.js';
import type { RuleDraftDefaults } from './rule-draft.js';
import { useAcknowledge } from './use-acknowledge.js';

const ALERTS_SHOWN = 200;

interface AlertsPanelProps {
  entityNames: readonly string[];
  ruleDefaults: RuleDraftDefaults;
  /** Alerts or rules changed: the page refreshes its counts. */
  onChanged: () => void;
}

/** Alerts (firing first) with Acknowledge, Evaluate now, and the rules that raise them. */
export function AlertsPanel({ entityNames, ruleDefaults, onChanged }: AlertsPanelProps) {
  const { t } = useTranslation('monitoring');
  const { client } = useClient();
  const alerts = useAsync(useCallback(() => client.monitoring.alerts.list({ limit: ALERTS_SHOWN }), [client]));
  const rules = useAsync(useCallback(() => client.monitoring.rules.list(), [client]));
  const [isEvaluating, setIsEvaluating] = useState(false);
  const [evaluation, setEvaluation] = useState<{ results: RuleEvaluation[] } | { error: unknown }>();
  const [isCreating, setIsCreating] = useState(false);
  const [created, setCreated] = useState<string>();
  const [deleting, setDeleting] = useState<AlertRule>();
  const [deleteError, setDeleteError] = useState<unknown>();
  const reloadAll = () => {
    alerts.reload();
    rules.reload();
    onChanged();
  };
  const ack = useAcknowledge(alerts.data, onChanged);
  const sorted = useMemo(() => sortAlerts(ack.shown ?? []), [ack.shown]);
  const ruleNames = useMemo(() => new Set((rules.data ?? []).map((r) => r.name)), [rules.data]);

  const evaluate = () => {
    setIsEvaluating(true);
    setEvaluation(undefined);
    client.monitoring.evaluate().then(
      (results) => {
        setEvaluation({ results });
        setIsEvaluating(false);
        reloadAll();
      },
      (error: unknown) => {
        setEvaluation({ error });
        setIsEvaluating(false);
      },
    );
  };

  const deleteRule = (rule: AlertRule) => {
    setDeleteError(undefined);
    client.monitoring.rules.delete(rule.name).then(
      () => {
        setDeleting(undefined);
        reloadAll();
      },
      (error: unknown) => setDeleteError(error),
    );
  };

  const hasNoRules = rules.data !== undefined && rules.data.length === 0;
  const isEmpty = hasNoRules && alerts.data !== undefined && alerts.data.length === 0;
  const newRuleButton = (
    <Button variant={hasNoRules ? 'contained' : 'outlined'} startIcon={<AddIcon />} onClick={() => setIsCreating(true)} data-testid="new-rule">
      {t('alerts.newRule')}
    </Button>
  );
  return (
    <Box sx={{ display: 'grid', gap: 3 }}>
      <SectionCard
        title={t('alerts.title')}
        subtitle={t('alerts.subtitle')}
        actions={
          <>
            <Button variant="contained" startIcon={<PlayArrowOutlined />} onClick={evaluate} disabled={isEvaluating || hasNoRules} data-testid="evaluate-button">
              {isEvaluating ? t('alerts.evaluating') : t('alerts.evaluate')}
            </Button>
            {!isEmpty && newRuleButton}
          </>
        }
        isFlush
        testId="alerts-card"
      >
        <Box sx={{ display: 'grid', gap: 1.5, px: 2.5, '&:not(:empty)': { pb: 1.5 } }}>
          {evaluation && 'error' in evaluation && <ErrorAlert error={evaluation.error} onRetry={evaluate} />}
          {evaluation && 'results' in evaluation && <EvaluationSummary results={evaluation.results} />}
          {created && (
            <Alert severity="success" onClose={() => setCreated(undefined)} data-testid="rule-created">
              <Trans t={t} i18nKey="alerts.saved" values={{ name: created }} components={[<strong key="0" />]} />
            </Alert>
          )}
          {ack.error !== undefined && <ErrorAlert error={ack.error} />}
        </Box>
        {alerts.error !== undefined ? (
          <Box sx={{ p: 2 }}>
            <ErrorAlert error={alerts.error} onRetry={alerts.reload} />
          </Box>
        ) : !alerts.data || !rules.data ? (
          <LoadingState label={t('alerts.loading')} />
        ) : isEmpty ? (
          <EmptyState icon={<NotificationsNoneOutlined />} title={t('alerts.noRulesTitle')} testId="rules-empty">
            <Typography variant="body2">{t('alerts.noRulesBody')}</Typography>
            {newRuleButton}
          </EmptyState>
        ) : sorted.length === 0 ? (
          <Typography variant="body2" sx={{ px: 2.5, pb: 2.5, color: 'text.secondary' }} data-testid="alerts-empty">
            {t('alerts.none', { count: rules.data.length })}
          </Typography>
        ) : (
          <AlertsList alerts={sorted} pending={ack.pending} onAcknowledge={ack.acknowledge} />
        )}
      </SectionCard>
      {rules.data && rules.data.length > 0 && (
        <SectionCard title={t('alerts.rulesTitle')} subtitle={t('alerts.rulesSubtitle')} isFlush testId="rules-card">
          <RulesTable rules={rules.data} onDelete={setDeleting} />
        </SectionCard>
      )}
      {rules.error !== undefined && <ErrorAlert error={rules.error} onRetry={rules.reload} />}
      {isCreating && (
        <NewRuleDialog
          entityNames={entityNames}
          existingRules={ruleNames}
          defaults={ruleDefaults}
          onClose={() => setIsCreating(false)}
          onCreated={(rule) => {
            setIsCreating(false);
            setCreated(rule.name);
            reloadAll();
          }}
        />
      )}
      {deleting && (
        <Dialog open onClose={() => setDeleting(undefined)} aria-labelledby="delete-rule-title" data-testid="delete-rule-dialog">
          <DialogTitle id="delete-rule-title">{t('alerts.deleteTitle', { name: deleting.name })}</DialogTitle>
          <DialogContent sx={{ display: 'grid', gap: 2 }}>
            <DialogContentText>{t('alerts.deleteBody')}</DialogContentText>
            {deleteError !== undefined && <ErrorAlert error={deleteError} />}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setDeleting(undefined)}>{t('alerts.cancel')}</Button>
            <Button color="error" variant="contained" onClick={() => deleteRule(deleting)} data-testid="confirm-delete-rule">
              {t('alerts.delete')}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Box>
  );
}

function EvaluationSummary({ results }: { results: readonly RuleEvaluation[] }) {
  const { t } = useTranslation('monitoring');
  const breached = results.filter((r) => r.breached).length;
  const ruleCount = new Set(results.map((r) => r.rule)).size;
  return (
    <Alert severity={breached > 0 ? 'warning' : 'success'} data-testid="evaluation-summary">
      {results.length === 0
        ? t('alerts.evaluatedNothing')
        : t('alerts.evaluated', {
            targets: t('alerts.targets', { count: results.length }),
            rules: t('alerts.rules', { count: ruleCount }),
            breached,
          })}
    </Alert>
  );
}
