import { useCallback } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import { useClient } from '../api/use-client.js';
import { useAsync } from '../common/use-async.js';
import { ALL_TIME } from './data-defaults.js';
import { dataSpan, describeWindow, suggestWindows, type DateWindow } from './time-windows.js';


interface EmptyWindowAlertProps {
  entity: string;
  features: readonly string[];
  isBaselineEmpty: boolean;
  isCurrentEmpty: boolean;
  baseline: DateWindow;
  current: DateWindow;
  onUseWindows: (windows: { baseline: DateWindow; current: DateWindow }) => void;
}

/**
 * Says which window has no values and offers windows where the data is. The data's first and last
 * days come from the per-day counts of a quality report over all time, asked only in this case.
 */
export function EmptyWindowAlert({ entity, features, isBaselineEmpty, isCurrentEmpty, baseline, current, onUseWindows }: EmptyWindowAlertProps) {
  const { client } = useClient();
  const { t } = useTranslation('monitoring');
  const span = useAsync(
    useCallback(
      () => client.monitoring.quality({ entity, features, ...ALL_TIME }).then((report) => dataSpan(report.daily) ?? null),
      [client, entity, features],
    ),
  );
  const empty: string[] = [];
  if (isBaselineEmpty) empty.push(t('drift.emptyWindow.baseline', { window: describeWindow(baseline) }));
  if (isCurrentEmpty) empty.push(t('drift.emptyWindow.current', { window: describeWindow(current) }));
  const title = t('drift.emptyWindow.title', { windows: empty.join(t('drift.emptyWindow.nor')) });

  if (span.data === null) {
    return (
      <Alert severity="info" data-testid="no-window-data" action={<Button component={RouterLink} to="/ingest" color="inherit" size="small">{t('drift.emptyWindow.ingest')}</Button>}>
        <AlertTitle>{title}</AlertTitle>
        {t('drift.emptyWindow.noValues', { entity })}
      </Alert>
    );
  }
  const suggestion = span.data ? suggestWindows(span.data) : undefined;
  return (
    <Alert
      severity="info"
      data-testid="no-window-data"
      action={
        suggestion && (
          <Button color="inherit" size="small" onClick={() => onUseWindows(suggestion)} data-testid="use-suggested-windows">
            {t('drift.emptyWindow.useWindows')}
          </Button>
        )
      }
    >
      <AlertTitle>{title}</AlertTitle>
      {span.data
        ? t('drift.emptyWindow.span', { span: describeWindow(span.data) }) +
          (suggestion
            ? t('drift.emptyWindow.suggest', { baseline: describeWindow(suggestion.baseline), current: describeWindow(suggestion.current) })
            : t('drift.emptyWindow.singleDay'))
        : t('drift.emptyWindow.pick')}
    </Alert>
  );
}
