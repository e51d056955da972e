import { useCallback, useMemo } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../api/use-client.js';
import { ErrorAlert } from '../../common/error-alert.js';
import { LoadingState } from '../../common/loading-state.js';
import { useAsync } from '../../common/use-async.js';
import { NEW_TRANSFORM_DRAFT, draftFromTransform } from './transform-draft.js';
import { TransformStudio } from './transform-studio.js';

/**
 * `/transforms/new` (optionally `?source=name` to start from a source) and `/transforms/:name/edit`.
 * Loaded lazily: this module pulls in Monaco.
 */
export function TransformStudioRoute() {
  const { name } = useParams();
  return name === undefined ? <NewTransformStudio /> : <EditTransformStudio key={name} name={name} />;
}

function NewTransformStudio() {
  const [params] = useSearchParams();
  const source = params.get('source');
  const initial = useMemo(() => ({ ...NEW_TRANSFORM_DRAFT, sources: source ? [source] : [] }), [source]);
  return <TransformStudio initial={initial} />;
}

function EditTransformStudio({ name }: { name: string }) {
  const { t } = useTranslation('transforms');
  const { client } = useClient();
  const transform = useAsync(useCallback(() => client.transforms.get(name), [client, name]));
  if (transform.error !== undefined) return <ErrorAlert error={transform.error} onRetry={transform.reload} />;
  if (!transform.data) return <LoadingState label={t('studio.loading', { name })} />;
  return <TransformStudio initial={draftFromTransform(transform.data)} published={transform.data} />;
}
