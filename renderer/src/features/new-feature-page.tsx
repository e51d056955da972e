import { useCallback, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Link from '@mui/material/Link';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { Trans, useTranslation } from 'react-i18next';
import { FEATURE_TYPES, VALUE_TYPES, defaultFeatureType, type FeatureType, type ValueType } from '@shared/domain/value-types.js';
import { describeApiError } from '../api/describe-api-error.js';
import { useClient } from '../api/use-client.js';
import { CodeBlock } from '../common/code-block.js';
import { ErrorAlert } from '../common/error-alert.js';
import { PageHeader } from '../common/page-header.js';
import { SuggestField } from '../common/suggest-field.js';
import { TagsInput } from '../common/tags-input.js';
import { useAsync } from '../common/use-async.js';
import {
  DRAFT_FIELDS,
  EMPTY_DRAFT,
  ERROR_CODE_TO_DRAFT,
  SERVER_FIELD_TO_DRAFT,
  completeFeatureInput,
  draftNamingHints,
  suggestName,
  toFeatureInput,
  validateDraft,
  type DraftField,
  type FeatureDraft,
} from './feature-draft.js';
import { FieldHints } from './field-hints.js';
import { hintsForField } from './naming-hints.js';
import { featureTypeHint, featureTypeLabel, valueTypeLabel } from './type-labels.js';

const FIELD_IDS: Record<DraftField, string> = {
  name: 'feature-name',
  description: 'feature-description',
  featureType: 'feature-type',
  valueType: 'feature-value-type',
  entity: 'feature-entity',
  featureGroup: 'feature-group',
  tags: 'feature-tags',
  source: 'feature-source',
};

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box component="fieldset" sx={{ border: 0, p: 0, m: 0, display: 'grid', gap: 2.5 }}>
      <Typography component="legend" variant="overline" sx={{ color: 'text.secondary', fontWeight: 700, mb: 1.5, p: 0 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

export function NewFeaturePage() {
  const { t } = useTranslation('features');
  const { t: tc } = useTranslation();
  const { client } = useClient();
  const navigate = useNavigate();
  const entities = useAsync(useCallback(() => client.entities.list(), [client]));
  const groups = useAsync(useCallback(() => client.featureGroups.list(), [client]));
  const features = useAsync(useCallback(() => client.features.list({ include_archived: true }), [client]));

  const [draft, setDraft] = useState<FeatureDraft>(EMPTY_DRAFT);
  const [isFeatureTypeChosen, setIsFeatureTypeChosen] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<DraftField>>(new Set());
  const [isSubmitted, setIsSubmitted] = useState(false);
  const [isSaving, setIsSaving] = useState(false);
  const [serverError, setServerError] = useState<unknown>();

  const entityNames = useMemo(() => (entities.data ?? []).map((e) => e.name).sort(), [entities.data]);
  const entityTrimmed = draft.entity.trim();
  const groupNames = useMemo(
    () => (groups.data ?? []).filter((g) => entityTrimmed === '' || g.entity === entityTrimmed).map((g) => g.name).sort(),
    [groups.data, entityTrimmed],
  );
  const existingFeatures = useMemo(() => new Set((features.data ?? []).map((f) => f.name)), [features.data]);
  const errors = validateDraft(draft, {
    existingFeatures,
    ...(groups.data && entityTrimmed !== '' ? { entityGroups: groupNames } : {}),
  });
  const namingHints = draftNamingHints(draft);
  /** Hints about a field the user has not reached yet would nag: they wait for a visit (or a submit). */
  const shownHints = (field: 'name' | 'description' | 'tags') =>
    field === 'name' || isSubmitted || touched.has(field) ? hintsForField(namingHints, field) : [];
  const nameSuggestion = suggestName(draft.name);
  const tagSuggestions = useMemo(() => [...new Set((features.data ?? []).flatMap((f) => f.tags))].sort(), [features.data]);

  const described = serverError === undefined ? undefined : describeApiError(serverError);
  const serverFieldError = (field: DraftField): string | undefined => {
    if (!described) return undefined;
    const problem = described.problems.find((p) => p.field !== undefined && SERVER_FIELD_TO_DRAFT[p.field] === field);
    if (problem) return problem.message;
    const isAboutField = described.problems.length === 0 && described.code && ERROR_CODE_TO_DRAFT[described.code] === field;
    return isAboutField ? described.message : undefined;
  };
  /** Inline errors: the name as soon as it is typed, other fields once visited, all after a submit. */
  const shownError = (field: DraftField): string | undefined => {
    const isVisible = isSubmitted || touched.has(field) || (field === 'name' && draft.name.length > 0);
    return (isVisible ? errors[field] : undefined) ?? serverFieldError(field);
  };

  const update = <K extends DraftField>(field: K, value: FeatureDraft[K]) => {
    setDraft((d) => {
      const next = { ...d, [field]: value };
      if (field === 'valueType' && !isFeatureTypeChosen && value !== '') {
        next.featureType = defaultFeatureType(value as ValueType);
      }
      return next;
    });
    if (serverError !== undefined) setServerError(undefined);
  };
  const touch = (field: DraftField) => setTouched((t) => (t.has(field) ? t : new Set([...t, field])));

  const submit = async () => {
    setIsSubmitted(true);
    const firstInvalid = DRAFT_FIELDS.find((f) => errors[f] !== undefined);
    const input = completeFeatureInput(draft);
    if (firstInvalid || !input) {
      if (firstInvalid) document.getElementById(FIELD_IDS[firstInvalid])?.focus();
      return;
    }
    setIsSaving(true);
    setServerError(undefined);
    try {
      const created = await client.features.create(input);
      navigate(`/features/${encodeURIComponent(created.name)}`, { state: { createdWarnings: created.warnings ?? [] } });
    } catch (err) {
      setServerError(err);
      setIsSaving(false);
    }
  };

  const entityHelp =
    entityTrimmed === ''
      ? t('form.entityHelp')
      : entityNames.includes(entityTrimmed)
        ? t('form.existingEntity')
        : t('form.newEntity', { key: `${entityTrimmed}_id` });

  return (
    <>
      <PageHeader
        before={
          <Breadcrumbs sx={{ mb: 1 }} aria-label={tc('breadcrumb')}>
            <Link component={RouterLink} to="/features" underline="hover" color="inherit">
              {t('list.title')}
            </Link>
            <Typography sx={{ color: 'text.primary' }}>{t('form.title')}</Typography>
          </Breadcrumbs>
        }
        title={t('form.title')}
        subtitle={t('form.subtitle')}
      />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) 360px' }, gap: 3, alignItems: 'start' }}>
        <Paper
          variant="outlined"
          component="form"
          noValidate
          aria-label={t('form.title')}
          data-testid="new-feature-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void submit();
          }}
          sx={{ p: { xs: 2, md: 3 }, display: 'grid', gap: 3 }}
        >
          <Section title={t('form.identity')}>
            <TextField
              id={FIELD_IDS.name}
              label={t('form.name')}
              required
              value={draft.name}
              onChange={(e) => update('name', e.target.value)}
              onBlur={() => touch('name')}
              error={shownError('name') !== undefined}
              helperText={shownError('name') ?? t('form.nameHelp')}
              autoFocus
              autoComplete="off"
              slotProps={{ htmlInput: { spellCheck: false, 'data-testid': 'feature-name-input' }, formHelperText: { id: 'feature-name-help' } }}
            />
            {nameSuggestion && (
              <Box sx={{ mt: -1.5 }}>
                <Button size="small" onClick={() => update('name', nameSuggestion)} data-testid="use-name-suggestion">
                  {t('form.useSuggestion', { name: nameSuggestion })}
                </Button>
              </Box>
            )}
            <FieldHints hints={shownHints('name')} testId="name-hints" />
            <TextField
              id={FIELD_IDS.description}
              label={t('form.description')}
              value={draft.description}
              onChange={(e) => update('description', e.target.value)}
              onBlur={() => touch('description')}
              error={shownError('description') !== undefined}
              helperText={shownError('description') ?? t('form.descriptionHelp')}
              multiline
              minRows={2}
            />
            <FieldHints hints={shownHints('description')} testId="description-hints" />
          </Section>
          <Divider />
          <Section title={t('form.type')}>
            <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 2.5 }}>
              <TextField
                id={FIELD_IDS.valueType}
                select
                required
                label={t('form.valueType')}
                value={draft.valueType}
                onChange={(e) => update('valueType', e.target.value as ValueType)}
                onBlur={() => touch('valueType')}
                error={shownError('valueType') !== undefined}
                helperText={shownError('valueType') ?? t('form.valueTypeHelp')}
              >
                {VALUE_TYPES.map((type) => (
                  <MenuItem key={type} value={type}>
                    <Box component="span" sx={{ fontFamily: 'monospace', mr: 1 }}>
                      {type}
                    </Box>
                    <Box component="span" sx={{ color: 'text.secondary', fontSize: 13 }}>
                      {valueTypeLabel(type)}
                    </Box>
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                id={FIELD_IDS.featureType}
                select
                required
                label={t('form.featureType')}
                value={draft.featureType}
                onChange={(e) => {
                  setIsFeatureTypeChosen(true);
                  update('featureType', e.target.value as FeatureType);
                }}
                onBlur={() => touch('featureType')}
                error={shownError('featureType') !== undefined}
                helperText={
                  shownError('featureType') ??
                  (draft.featureType ? featureTypeHint(draft.featureType) : t('form.featureTypeHelp'))
                }
                slotProps={{ select: { renderValue: (v: unknown) => (v ? featureTypeLabel(v as FeatureType) : '') } }}
              >
                {FEATURE_TYPES.map((type) => (
                  <MenuItem key={type} value={type}>
                    <ListItemText primary={featureTypeLabel(type)} secondary={featureTypeHint(type)} />
                  </MenuItem>
                ))}
              </TextField>
            </Box>
          </Section>
          <Divider />
          <Section title={t('form.belongs')}>
            <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 2.5 }}>
              <SuggestField
                id={FIELD_IDS.entity}
                label={t('form.entity')}
                required
                value={draft.entity}
                onChange={(v) => update('entity', v)}
                onBlur={() => touch('entity')}
                options={entityNames}
                error={shownError('entity')}
                helperText={entityHelp}
                placeholder="usuario"
              />
              <SuggestField
                id={FIELD_IDS.featureGroup}
                label={t('form.featureGroup')}
                value={draft.featureGroup}
                onChange={(v) => update('featureGroup', v)}
                onBlur={() => touch('featureGroup')}
                options={groupNames}
                error={shownError('featureGroup')}
                helperText={groupNames.length > 0 ? t('form.groupHelp', { n: groupNames.length }) : t('form.groupHelpNone')}
              />
            </Box>
          </Section>
          <Divider />
          <Section title={t('form.metadata')}>
            {/* Focus leaving the tags input bubbles here: the tags were visited. */}
            <Box onBlur={() => touch('tags')}>
              <TagsInput
                id={FIELD_IDS.tags}
                label={t('form.tags')}
                value={draft.tags}
                onChange={(tags) => update('tags', tags)}
                suggestions={tagSuggestions}
                error={shownError('tags')}
                helperText={t('form.tagsHelp')}
              />
            </Box>
            <FieldHints hints={shownHints('tags')} testId="tags-hints" />
            <TextField
              id={FIELD_IDS.source}
              label={t('form.source')}
              placeholder="warehouse.usuarios.data_nascimento"
              value={draft.source}
              onChange={(e) => update('source', e.target.value)}
              onBlur={() => touch('source')}
              error={shownError('source') !== undefined}
              helperText={shownError('source') ?? t('form.sourceHelp')}
            />
          </Section>
          {/* Next to the button that failed: at the top of a long form it was off screen. */}
          {serverError !== undefined && (
            <Box data-testid="server-error">
              <ErrorAlert error={serverError} />
            </Box>
          )}
          <Box sx={{ display: 'flex', gap: 1.5, justifyContent: 'flex-end' }}>
            <Button component={RouterLink} to="/features" disabled={isSaving}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" variant="contained" disabled={isSaving} data-testid="create-feature">
              {isSaving ? t('form.creating') : t('form.create')}
            </Button>
          </Box>
        </Paper>
        <Paper variant="outlined" sx={{ p: 2.5, position: { lg: 'sticky' }, top: { lg: 88 } }}>
          <Typography variant="overline" sx={{ color: 'text.secondary', fontWeight: 700 }}>
            {t('form.preview')}
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1.5 }}>
            <Trans t={t} i18nKey="form.previewHelp" components={{ code: <code /> }} />
          </Typography>
          <CodeBlock label={t('form.requestBody')} code={JSON.stringify(toFeatureInput(draft), null, 2)} />
        </Paper>
      </Box>
    </>
  );
}
