import { useCallback } from 'react';
import { Link as RouterLink } from 'react-router-dom';
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
  const span = useAsync(
    useCallback(
      () => client.monitoring.quality({ entity, features, ...ALL_TIME }).then((report) => dataSpan(report.daily) ?? null),
      [client, entity, features],
    ),
  );
  const empty = [isBaselineEmpty && `the baseline window (${describeWindow(baseline)})`, isCurrentEmpty && `the current window (${describeWindow(current)})`].filter(
    (text): text is string => typeof text === 'string',
  );
  const title = `No values in ${empty.join(' nor in ')}`;

  if (span.data === null) {
    return (
      <Alert severity="info" data-testid="no-window-data" action={<Button component={RouterLink} to="/ingest" color="inherit" size="small">Ingest data</Button>}>
        <AlertTitle>{title}</AlertTitle>
        These features have no values at all yet. Ingest data for {entity}; drift then compares the two windows.
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
            Use these windows
          </Button>
        )
      }
    >
      <AlertTitle>{title}</AlertTitle>
      {span.data
        ? `The values of these features span ${describeWindow(span.data)}. ` +
          (suggestion
            ? `Try the baseline ${describeWindow(suggestion.baseline)} against the current window ${describeWindow(suggestion.current)}.`
            : 'They cover a single day: drift needs two windows with values.')
        : 'Pick windows that hold data of this entity.'}
    </Alert>
  );
}
