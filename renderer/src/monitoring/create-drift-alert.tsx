import { useCallback, useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Snackbar from '@mui/material/Snackbar';
import AddAlertOutlined from '@mui/icons-material/AddAlertOutlined';
import { useClient } from '../api/use-client.js';
import { useAsync } from '../common/use-async.js';
import { NewRuleDialog } from './new-rule-dialog.js';
import { driftRuleDefaults } from './rule-draft.js';
import type { DateWindow } from './time-windows.js';

interface CreateDriftAlertProps {
  entityNames: readonly string[];
  entity: string;
  featureGroup: string;
  feature: string;
  baseline: DateWindow;
  current: DateWindow;
}

/** "Create alert" for the drift on screen: a drift rule on the feature with the view's windows, in event time. */
export function CreateDriftAlert({ entityNames, entity, featureGroup, feature, baseline, current }: CreateDriftAlertProps) {
  const { client } = useClient();
  const { t } = useTranslation('monitoring');
  const [isOpen, setIsOpen] = useState(false);
  const [created, setCreated] = useState<string>();
  const rules = useAsync(useCallback(() => (isOpen ? client.monitoring.rules.list() : Promise.resolve([])), [client, isOpen]));
  const ruleNames = useMemo(() => new Set((rules.data ?? []).map((r) => r.name)), [rules.data]);
  const defaults = useMemo(
    () => ({ ...driftRuleDefaults({ entity, featureGroup, features: [feature], baseline, current }), name: `${feature}_drift`.slice(0, 63) }),
    [entity, featureGroup, feature, baseline, current],
  );

  return (
    <>
      <Button size="small" variant="outlined" startIcon={<AddAlertOutlined />} onClick={() => setIsOpen(true)} data-testid="create-drift-alert">
        {t('drift.createAlert')}
      </Button>
      {isOpen && (
        <NewRuleDialog
          entityNames={entityNames}
          existingRules={ruleNames}
          defaults={defaults}
          onClose={() => setIsOpen(false)}
          onCreated={(rule) => {
            setIsOpen(false);
            setCreated(rule.name);
          }}
        />
      )}
      <Snackbar open={created !== undefined} autoHideDuration={8000} onClose={() => setCreated(undefined)}>
        <Alert
          severity="success"
          onClose={() => setCreated(undefined)}
          data-testid="drift-alert-created"
          action={
            <Button color="inherit" size="small" component={RouterLink} to="/monitoring?tab=alerts">
              {t('drift.seeAlerts')}
            </Button>
          }
        >
          {t('drift.alertCreated', { name: created ?? '' })}
        </Alert>
      </Snackbar>
    </>
  );
}
