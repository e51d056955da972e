import { useCallback, useMemo, useState } from 'react';
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
      <DialogTitle id="new-rule-title">New alert rule</DialogTitle>
      <DialogContent dividers sx={{ display: 'grid', gap: 2.5 }}>
        {serverError !== undefined && (
          <Box data-testid="rule-error">
            <ErrorAlert error={serverError} />
          </Box>
        )}
        <TextField
          id="rule-name"
          label="Name"
          required
          value={draft.name}
          onChange={(e) => update({ name: e.target.value })}
          {...field('name')}
          helperText={errorOf('name') ?? 'snake_case, e.g. score_drift'}
          slotProps={{ htmlInput: { 'data-testid': 'rule-name-input' } }}
        />
        <TextField
          id="rule-type"
          select
          label="Type"
          value={draft.type}
          onChange={(e) => {
            const type = ALERT_RULE_TYPES.find((t) => t === e.target.value);
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
              label="Entity"
              required={uses('features')}
              value={entityNames.includes(draft.entity) ? draft.entity : ''}
              onChange={(e) => update({ entity: e.target.value, featureGroup: '', features: [] })}
              {...field('entity')}
              data-testid="rule-entity-select"
            >
              {!uses('features') && (
                <MenuItem value="">
                  <em>Every entity</em>
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
              label="Feature group"
              value={groupNames.includes(draft.featureGroup) ? draft.featureGroup : ''}
              onChange={(e) => update({ featureGroup: e.target.value, features: [] })}
              disabled={draft.entity === ''}
              {...field('featureGroup')}
              helperText={errorOf('featureGroup') ?? (uses('features') ? 'All its features, unless you pick some' : 'Empty: every group')}
            >
              <MenuItem value="">
                <em>{uses('features') ? 'None (pick features)' : 'Every group'}</em>
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
              <TextField {...params} label="Features" {...field('features')} helperText={errorOf('features') ?? 'Empty: every feature of the group'} />
            )}
          />
        )}
        {uses('baseline') && (
          <Box>
            <Typography variant="body2" sx={{ mb: 1, color: 'text.secondary' }}>
              Baseline: the window the recent values are compared with
            </Typography>
            <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2 }}>
              <TextField
                id="rule-baseline-start"
                type="date"
                label="Baseline from"
                value={draft.baseline.start}
                onChange={(e) => update({ baseline: { ...draft.baseline, start: e.target.value } })}
                error={errorOf('baseline') !== undefined}
                slotProps={{ inputLabel: { shrink: true } }}
              />
              <TextField
                id="rule-baseline-end"
                type="date"
                label="Baseline to"
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
              label="Recent window (hours)"
              type="number"
              placeholder="24"
              value={draft.windowHours}
              onChange={(e) => update({ windowHours: e.target.value })}
              {...field('windowHours')}
              helperText={errorOf('windowHours') ?? (draft.windowAnchor === 'now' ? 'Empty: the last 24 hours' : 'Empty: 24 hours')}
            />
          )}
          {uses('windowHours') && (
            <TextField
              id="rule-window-anchor"
              select
              label="Recent window ends"
              value={draft.windowAnchor}
              onChange={(e) => update({ windowAnchor: e.target.value === 'newest_event' ? 'newest_event' : 'now' })}
              helperText={draft.windowAnchor === 'now' ? 'Wall-clock time: for data that arrives as it happens' : 'Event time: the whole days up to the newest value'}
              data-testid="rule-window-anchor-select"
            >
              <MenuItem value="now">Now</MenuItem>
              <MenuItem value="newest_event">With the newest value's day</MenuItem>
            </TextField>
          )}
          <TextField
            id="rule-threshold"
            label={info.thresholdLabel}
            type="number"
            value={draft.threshold}
            onChange={(e) => update({ threshold: e.target.value })}
            {...field('threshold')}
            helperText={errorOf('threshold') ?? `Empty: ${info.defaultThreshold}`}
            slotProps={{ htmlInput: { min: 0, step: 'any', 'data-testid': 'rule-threshold-input' } }}
          />
        </Box>
        {uses('route') && (
          <TextField
            id="rule-route"
            label="Route"
            placeholder="/api/online/features"
            value={draft.route}
            onChange={(e) => update({ route: e.target.value })}
            {...field('route')}
            helperText={errorOf('route') ?? 'Empty: every route'}
          />
        )}
        <TextField
          id="rule-webhook"
          label="Webhook URL"
          placeholder="https://hooks.example.com/fstore"
          value={draft.webhookUrl}
          onChange={(e) => update({ webhookUrl: e.target.value })}
          {...field('webhookUrl')}
          helperText={errorOf('webhookUrl') ?? 'Optional: receives a JSON POST when an alert fires or resolves'}
        />
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 2 }}>
        <Button onClick={onClose} disabled={isSaving}>
          Cancel
        </Button>
        <Button variant="contained" onClick={() => void save()} disabled={isSaving} data-testid="save-rule">
          {isSaving ? 'Saving…' : 'Create rule'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
