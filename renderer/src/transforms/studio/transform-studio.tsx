import { useCallback, useMemo, useRef, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import PublishOutlined from '@mui/icons-material/PublishOutlined';
import type { SampleSpec } from '@shared/api/transforms.js';
import { TRANSFORM_LANGUAGES, type Transform, type TransformInput, type TransformLanguage } from '@shared/domain/schemas.js';
import { Trans, useTranslation } from 'react-i18next';
import { useClient } from '../../api/use-client.js';
import { MONO_SX } from '../../common/mono-text.js';
import { PageHeader } from '../../common/page-header.js';
import { SectionCard } from '../../common/section-card.js';
import { useAsync } from '../../common/use-async.js';
import { SourcesPanel } from '../../data-sources/sources-panel.js';
import { useStudioShortcuts } from '../../shortcuts/use-studio-shortcuts.js';
import { CodeEditor, type CodeEditorHandle } from '../editor/code-editor.js';
import { initialEditorHeight } from './editor-height.js';
import { EditorResizeHandle } from './editor-resize-handle.js';
import { markersFromError, type CodeMarker } from './error-markers.js';
import { PreviewErrorAlert } from './preview-error-alert.js';
import { PreviewExportButtons } from './preview-export-buttons.js';
import { PreviewResults } from './preview-results.js';
import { PublishDialog } from './publish-dialog.js';
import { historyEntryOf } from './query-history.js';
import { QueryHistoryPanel } from './query-history-panel.js';
import { isSameSample, SampleControls } from './sample-controls.js';
import type { CompletionCatalog } from './sql-completions.js';
import { LANGUAGE_LABELS } from './starter-code.js';
import { previewBlockers, toPreviewRequest, toTransformInput, validateTransformDraft, type TransformDraft } from './transform-draft.js';
import { SETTINGS_FIELD_IDS, TransformSettingsForm } from './transform-settings-form.js';
import { useQueryHistory } from './use-query-history.js';
import { useTransformPreview } from './use-transform-preview.js';

interface TransformStudioProps {
  initial: TransformDraft;
  /** The published transform being edited; undefined for a new one. */
  published?: Transform;
}

const DEFAULT_SAMPLE: SampleSpec = { mode: 'head', rows: 10_000 };
const NO_MARKERS: readonly CodeMarker[] = [];
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const RUN_SHORTCUT = isMac ? '⌘+Enter' : 'Ctrl+Enter';

/** Write a transform, preview it on a sample, and publish it: editor, settings, sources, results. */
export function TransformStudio({ initial, published: initialPublished }: TransformStudioProps) {
  const { t } = useTranslation('transforms');
  const { client } = useClient();
  const [draft, setDraft] = useState(initial);
  const [sample, setSample] = useState(DEFAULT_SAMPLE);
  const [published, setPublished] = useState(initialPublished);
  const [publishInput, setPublishInput] = useState<TransformInput>();
  const [hasTriedPublish, setHasTriedPublish] = useState(false);
  const [hasTriedPreview, setHasTriedPreview] = useState(false);
  const editor = useRef<CodeEditorHandle>(null);
  const [editorHeight, setEditorHeight] = useState(() => initialEditorHeight(window.innerHeight));
  const history = useQueryHistory(initialPublished?.name ?? draft.name);
  const { state: preview, run } = useTransformPreview((outcome) => history.record(historyEntryOf(outcome)));

  const sources = useAsync(useCallback(() => client.dataSources.list(), [client]));
  const features = useAsync(useCallback(() => client.features.list(), [client]));
  const entities = useAsync(useCallback(() => client.entities.list(), [client]));
  const transforms = useAsync(useCallback(() => client.transforms.list({ include_archived: true }), [client]));

  const activeSources = useMemo(() => (sources.data ?? []).filter((s) => s.status === 'active'), [sources.data]);
  const catalog = useMemo<CompletionCatalog>(() => ({ sources: activeSources, features: features.data ?? [] }), [activeSources, features.data]);
  const entityNames = useMemo(() => (entities.data ?? []).map((e) => e.name).sort(), [entities.data]);
  const lastPreview = preview.status === 'done' ? preview.preview : preview.status === 'idle' ? undefined : preview.last;
  const columnNames = useMemo(() => {
    if (lastPreview) return lastPreview.columns.map((c) => c.name);
    const chosen = activeSources.filter((s) => draft.sources.includes(s.name));
    return [...new Set(chosen.flatMap((s) => s.columns.map((c) => c.name)))];
  }, [lastPreview, activeSources, draft.sources]);
  const entity = draft.entity.trim();
  const defaultKeyColumn = entity === '' ? undefined : (entities.data?.find((e) => e.name === entity)?.join_key ?? `${entity}_id`);

  const existingTransforms = useMemo(
    () => (published || !transforms.data ? undefined : new Set(transforms.data.map((t) => t.name))),
    [published, transforms.data],
  );
  const errors = validateTransformDraft(draft, existingTransforms ? { existingTransforms } : {});
  const shownErrors = hasTriedPublish ? errors : draft.name !== '' ? { name: errors.name } : {};
  const blockers = previewBlockers(draft);
  const code = draft.code[draft.language];
  const errorMarkers = useMemo(() => (preview.status === 'failed' ? markersFromError(preview.error, preview.code) : []), [preview]);
  // Kept while the user edits (the editor moves them with the text) until the next preview.
  const editorMarkers = preview.status === 'failed' && preview.language === draft.language ? errorMarkers : NO_MARKERS;

  const update = (change: Partial<TransformDraft>) => setDraft((d) => ({ ...d, ...change }));
  const toggleSource = (name: string) =>
    setDraft((d) => ({ ...d, sources: d.sources.includes(name) ? d.sources.filter((s) => s !== name) : [...d.sources, name] }));

  /** `currentCode`: the editor's text at the moment of the shortcut or click, which the draft may not hold yet. */
  const runPreview = (currentCode = editor.current?.getValue() ?? code) => {
    setHasTriedPreview(true);
    const latest = { ...draft, code: { ...draft.code, [draft.language]: currentCode } };
    if (previewBlockers(latest).length === 0) run(toPreviewRequest(latest, sample));
  };

  const openPublish = () => {
    setHasTriedPublish(true);
    const firstInvalid = (['name', 'entity', 'sources', 'featureGroup', 'description'] as const).find((f) => errors[f] !== undefined);
    if (firstInvalid) {
      const id = SETTINGS_FIELD_IDS[firstInvalid];
      if (id) document.getElementById(id)?.focus();
      return;
    }
    if (errors.code) return;
    setPublishInput(toTransformInput(draft));
  };

  const isRunning = preview.status === 'running';
  useStudioShortcuts({ onRun: () => runPreview(), onPublish: openPublish, isEnabled: publishInput === undefined });
  return (
    <>
      <PageHeader
        before={
          <Breadcrumbs sx={{ mb: 1 }} aria-label={t('studio.breadcrumb')}>
            <Link component={RouterLink} to="/transforms" underline="hover" color="inherit">
              {t('list.title')}
            </Link>
            {published ? (
              <Link component={RouterLink} to={`/transforms/${encodeURIComponent(published.name)}`} underline="hover" color="inherit" sx={MONO_SX}>
                {published.name}
              </Link>
            ) : null}
            <Typography sx={{ color: 'text.primary' }}>{published ? t('studio.edit') : t('studio.newTransform')}</Typography>
          </Breadcrumbs>
        }
        title={published ? <Box component="span" sx={{ ...MONO_SX, fontSize: 'inherit' }}>{published.name}</Box> : t('studio.newTransform')}
        subtitle={
          published
            ? t('studio.editing', { version: published.version, next: published.version + 1 })
            : t('studio.newSubtitle')
        }
        actions={
          <Button variant="contained" startIcon={<PublishOutlined />} onClick={openPublish} data-testid="open-publish">
            {t('studio.publish')}
          </Button>
        }
      />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) 380px' }, gap: 3, alignItems: 'start' }}>
        <Box sx={{ display: 'grid', gap: 2, minWidth: 0 }}>
          <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, px: 2, py: 1.25, flexWrap: 'wrap', borderBottom: 1, borderColor: 'divider' }}>
              <ToggleButtonGroup
                size="small"
                exclusive
                value={draft.language}
                onChange={(_e, language: TransformLanguage | null) => language && update({ language })}
                aria-label={t('studio.language')}
                data-testid="language-toggle"
              >
                {TRANSFORM_LANGUAGES.map((language) => (
                  <ToggleButton key={language} value={language} data-testid={`language-${language}`} sx={{ px: 1.5, textTransform: 'none' }}>
                    {LANGUAGE_LABELS[language]}
                  </ToggleButton>
                ))}
              </ToggleButtonGroup>
              <Box sx={{ flex: 1 }} />
              <Tooltip title={t('studio.runTooltip', { shortcut: RUN_SHORTCUT })}>
                <span>
                  <Button variant="outlined" startIcon={<PlayArrowOutlined />} onClick={() => runPreview()} disabled={isRunning} data-testid="run-preview">
                    {isRunning ? t('studio.running') : t('studio.preview')}
                  </Button>
                </span>
              </Tooltip>
            </Box>
            <CodeEditor
              ref={editor}
              language={draft.language}
              value={code}
              onChange={(next) => setDraft((d) => ({ ...d, code: { ...d.code, [d.language]: next } }))}
              onRun={runPreview}
              markers={editorMarkers}
              catalog={catalog}
              height={editorHeight}
            />
            <EditorResizeHandle height={editorHeight} onResize={setEditorHeight} />
            <Typography variant="caption" component="p" sx={{ px: 2, py: 1, color: 'text.secondary', borderTop: 1, borderColor: 'divider', m: 0 }}>
              {draft.language === 'sql'
                ? t('studio.sqlHint')
                : t('studio.typescriptHint')}{' '}
              {t('studio.runsPreview', { shortcut: RUN_SHORTCUT })}
            </Typography>
          </Paper>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap', mt: 1 }} data-testid="results-header">
            <Box sx={{ flex: 1, minWidth: 160 }}>
              <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 650 }}>
                {t('studio.results')}
              </Typography>
              {lastPreview && !isSameSample(lastPreview.sample, sample) && (
                <Typography variant="caption" sx={{ color: 'warning.main' }} data-testid="sample-changed">
                  {t('studio.sampleChanged')}
                </Typography>
              )}
            </Box>
            {lastPreview && <PreviewExportButtons preview={lastPreview} baseName={draft.name} />}
            <SampleControls sample={sample} onChange={setSample} />
          </Box>
          {hasTriedPublish && errors.code && (
            <Alert severity="warning" data-testid="publish-blocker">
              {t('studio.editorEmpty', { problem: errors.code })}
            </Alert>
          )}
          {hasTriedPreview && blockers.length > 0 && (
            <Alert severity="info" data-testid="preview-blockers">
              {t('studio.toPreview', { blockers: blockers.join('; ') })}
            </Alert>
          )}
          {preview.status === 'failed' && <PreviewErrorAlert error={preview.error} markers={errorMarkers} onReveal={(p) => editor.current?.reveal(p)} />}
          {lastPreview ? (
            <PreviewResults preview={lastPreview} isStale={preview.status !== 'done'} />
          ) : (
            preview.status === 'idle' && (
              <Paper variant="outlined" sx={{ p: 3, textAlign: 'center', color: 'text.secondary' }} data-testid="preview-empty">
                <Typography variant="body2">
                  <Trans t={t} i18nKey="studio.empty" values={{ shortcut: RUN_SHORTCUT }} components={[<strong />]} />
                </Typography>
              </Paper>
            )
          )}
        </Box>
        <Box sx={{ display: 'grid', gap: 2 }}>
          <SourcesPanel
            sources={sources}
            selected={draft.sources}
            onToggle={toggleSource}
            onCreated={(source) => setDraft((d) => (d.sources.includes(source.name) ? d : { ...d, sources: [...d.sources, source.name] }))}
          />
          <SectionCard title={t('studio.settings')} testId="settings-card">
            <TransformSettingsForm
              draft={draft}
              onChange={update}
              errors={shownErrors}
              entityNames={entityNames}
              sourceNames={activeSources.map((s) => s.name)}
              columnNames={columnNames}
              defaultKeyColumn={defaultKeyColumn}
              isNameLocked={published !== undefined}
            />
          </SectionCard>
          <QueryHistoryPanel
            entries={history.entries}
            onClear={history.clear}
            onRestore={(entry) => setDraft((d) => ({ ...d, language: entry.language, code: { ...d.code, [entry.language]: entry.code } }))}
          />
        </Box>
      </Box>
      {publishInput && (
        <PublishDialog
          input={publishInput}
          baseVersion={published?.version}
          onClose={() => setPublishInput(undefined)}
          onPublished={(saved) => {
            setPublished(saved);
            features.reload();
            entities.reload();
          }}
        />
      )}
    </>
  );
}
