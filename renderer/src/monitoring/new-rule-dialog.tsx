import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { ALERT_RULE_TYPES, type AlertRule } from '@shared/api/monitoring.js';
import { describeApiError } from '../api/describe-api-error.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { useAsync } from '../common/use-async.js';
import { emptyRuleDraft, ruleFieldOf, toRuleInput, usesField, validateRuleDraft, type RuleDraft, type RuleDraftDefaults, type RuleField } from './rule-draft.js';
import { RULE_TYPES } from './rule-types.js';

interface NewRuleDialogProps {
  entityNames: readonly string[];
  existingRules: ReadonlySet<string>;
  /** From the page's selection, so a rule for what is on screen takes no typing. */
  defaults: RuleDraftDefaults;
  onClose: () => void;
  onCreated: (rule: AlertRule) => void;
}

/** Creates an alert rule: the fields its type uses, checked as the service checks them, with the service's own errors on the fields. */
export function NewRuleDialog({ entityNames, existingRules, defaults, onClose, onCreated }: NewRuleDialogProps) {
  const { client } = useClient();
  const { t } = useTranslation('monitoring');
  const [draft, setDraft] = useState<RuleDraft>(() => emptyRuleDraft(defaults));
  const [isSubmitted, setIsSubmitted] = useState(false);
  const [isSaving, setIsSaving] = useState(false);
  const [serverError, setServerError] = useState<unknown>();
  const entity = draft.entity;
  const features = useAsync(useCallback(() => (entity ? client.features.list({ entity }) : Promise.resolve([])), [client, entity]));
  const groups = useAsync(useCallback(() => (entity ? client.featureGroups.list({ entity }) : Promise.resolve([])), [client, entity]));
  const featureNames = useMemo(
    () => (features.data ?? []).filter((f) => draft.featureGroup === '' || f.feature_group === draft.featureGroup).map((f) => f.name).sort(),
    [features.data, draft.featureGroup],
  );
  const groupNames = useMemo(() => (groups.data ?? []).map((g) => g.name).sort(), [groups.data]);

  const errors = validateRuleDraft(draft, existingRules);
  const serverProblems = serverError === undefined ? [] : describeApiError(serverError).problems;
  const errorOf = (field: RuleField): string | undefined =>
    (isSubmitted || (field === 'name' && draft.name !== '') ? errors[field] : undefined) ?? serverProblems.find((p) => ruleFieldOf(p.field) === field)?.message;
  const uses = (field: RuleField) => usesField(draft.type, field);
  const info = RULE_TYPES[draft.type];

  const update = (change: Partial<RuleDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setServerError(undefined);
  };

  const save = async () => {
    setIsSubmitted(true);
    if (Object.keys(errors).length > 0) return;
    setIsSaving(true);
    try {
      onCreated(await client.monitoring.rules.save(toRuleInput(draft)));
    } catch (err) {
      setServerError(err);
      setIsSaving(false);
    }
  };

  const field = (name: RuleField) => ({ error: errorOf(name) !== undefined, helperText: errorOf(name) });
  return (
    <Dialog open onClose={isSaving ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="new-rule-title" data-testid="new-rule-dialog">
      <DialogTitle id="new-rule-title">{t('newRule.title')}</DialogTitle>
      <DialogContent dividers sx={{ display: 'grid', gap: 2.5 }}>
        {serverError !== undefined && (
          <Box data-testid="rule-error">
            <ErrorAlert error={serverError} />
          </Box>
        )}
        <TextField
          id="rule-name"
          label={t('newRule.name')}
          required
          value={draft.name}
          onChange={(e) => update({ name: e.target.value })}
          {...field('name')}
          helperText={errorOf('name') ?? t('newRule.nameHelp')}
          slotProps={{ htmlInput: { 'data-testid': 'rule-name-input' } }}
        />
        <TextField
          id="rule-type"
          select
          label={t('newRule.type')}
          value={draft.type}
          onChange={(e) => {
            const type = ALERT_RULE_TYPES.find((candidate) => candidate === e.target.value);
            if (type) update({ type });
          }}
          helperText={info.watches}
          data-testid="rule-type-select"
        >
          {ALERT_RULE_TYPES.map((type) => (
            <MenuItem key={type} value={type}>
              {RULE_TYPES[type].label}
            </MenuItem>
          ))}
        </TextField>
        {uses('entity') && (
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 2 }}>
            <TextField
              id="rule-entity"
              select
              label={t('newRule.entity')}
              required={uses('features')}
              value={entityNames.includes(draft.entity) ? draft.entity : ''}
              onChange={(e) => update({ entity: e.target.value, featureGroup: '', features: [] })}
              {...field('entity')}
              data-testid="rule-entity-select"
            >
              {!uses('features') && (
                <MenuItem value="">
                  <em>{t('newRule.everyEntity')}</em>
                </MenuItem>
              )}
              {entityNames.map((name) => (
                <MenuItem key={name} value={name}>
                  {name}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              id="rule-group"
              select
              label={t('newRule.group')}
              value={groupNames.includes(draft.featureGroup) ? draft.featureGroup : ''}
              onChange={(e) => update({ featureGroup: e.target.value, features: [] })}
              disabled={draft.entity === ''}
              {...field('featureGroup')}
              helperText={errorOf('featureGroup') ?? (uses('features') ? t('newRule.groupHelpFeatures') : t('newRule.groupHelpEvery'))}
            >
              <MenuItem value="">
                <em>{uses('features') ? t('newRule.noGroup') : t('newRule.everyGroup')}</em>
              </MenuItem>
              {groupNames.map((name) => (
                <MenuItem key={name} value={name}>
                  {name}
                </MenuItem>
              ))}
            </TextField>
          </Box>
        )}
        {uses('features') && (
          <Autocomplete
            id="rule-features"
            multiple
            options={featureNames}
            value={draft.features}
            onChange={(_e, next) => update({ features: next })}
            disabled={draft.entity === ''}
            renderInput={(params) => (
              <TextField {...params} label={t('newRule.features')} {...field('features')} helperText={errorOf('features') ?? t('newRule.featuresHelp')} />
            )}
          />
        )}
        {uses('baseline') && (
          <Box>
            <Typography variant="body2" sx={{ mb: 1, color: 'text.secondary' }}>
              {t('newRule.baselineHelp')}
            </Typography>
            <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2 }}>
              <TextField
                id="rule-baseline-start"
                type="date"
                label={t('newRule.baselineFrom')}
                value={draft.baseline.start}
                onChange={(e) => update({ baseline: { ...draft.baseline, start: e.target.value } })}
                error={errorOf('baseline') !== undefined}
                slotProps={{ inputLabel: { shrink: true } }}
              />
              <TextField
                id="rule-baseline-end"
                type="date"
                label={t('newRule.baselineTo')}
                value={draft.baseline.end}
                onChange={(e) => update({ baseline: { ...draft.baseline, end: e.target.value } })}
                {...field('baseline')}
                slotProps={{ inputLabel: { shrink: true } }}
              />
            </Box>
          </Box>
        )}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: uses('windowHours') ? '1fr 1fr' : '1fr' }, gap: 2 }}>
          {uses('windowHours') && (
            <TextField
              id="rule-window-hours"
              label={t('newRule.windowHours')}
              type="number"
              placeholder="24"
              value={draft.windowHours}
              onChange={(e) => update({ windowHours: e.target.value })}
              {...field('windowHours')}
              helperText={errorOf('windowHours') ?? (draft.windowAnchor === 'now' ? t('newRule.windowHoursHelpNow') : t('newRule.windowHoursHelp'))}
            />
          )}
          {uses('windowHours') && (
            <TextField
              id="rule-window-anchor"
              select
              label={t('newRule.windowEnds')}
              value={draft.windowAnchor}
              onChange={(e) => update({ windowAnchor: e.target.value === 'newest_event' ? 'newest_event' : 'now' })}
              helperText={draft.windowAnchor === 'now' ? t('newRule.windowEndsNow') : t('newRule.windowEndsNewest')}
              data-testid="rule-window-anchor-select"
            >
              <MenuItem value="now">{t('newRule.now')}</MenuItem>
              <MenuItem value="newest_event">{t('newRule.newest')}</MenuItem>
            </TextField>
          )}
          <TextField
            id="rule-threshold"
            label={info.thresholdLabel}
            type="number"
            value={draft.threshold}
            onChange={(e) => update({ threshold: e.target.value })}
            {...field('threshold')}
            helperText={errorOf('threshold') ?? t('newRule.thresholdDefault', { value: info.defaultThreshold })}
            slotProps={{ htmlInput: { min: 0, step: 'any', 'data-testid': 'rule-threshold-input' } }}
          />
        </Box>
        {uses('route') && (
          <TextField
            id="rule-route"
            label={t('newRule.route')}
            placeholder="/api/online/features"
            value={draft.route}
            onChange={(e) => update({ route: e.target.value })}
            {...field('route')}
            helperText={errorOf('route') ?? t('newRule.routeHelp')}
          />
        )}
        <TextField
          id="rule-webhook"
          label={t('newRule.webhook')}
          placeholder="https://hooks.example.com/fstore"
          value={draft.webhookUrl}
          onChange={(e) => update({ webhookUrl: e.target.value })}
          {...field('webhookUrl')}
          helperText={errorOf('webhookUrl') ?? t('newRule.webhookHelp')}
        />
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 2 }}>
        <Button onClick={onClose} disabled={isSaving}>
          {t('newRule.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void save()} disabled={isSaving} data-testid="save-rule">
          {isSaving ? t('newRule.saving') : t('newRule.create')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
