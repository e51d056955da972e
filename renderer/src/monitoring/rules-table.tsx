import { useTranslation } from 'react-i18next';
import IconButton from '@mui/material/IconButton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import type { AlertRule } from '@shared/api/monitoring.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import { describeRuleScope, describeThreshold, RULE_TYPES } from './rule-types.js';

interface RulesTableProps {
  rules: readonly AlertRule[];
  onDelete: (rule: AlertRule) => void;
}

export function RulesTable({ rules, onDelete }: RulesTableProps) {
  const { t } = useTranslation('monitoring');
  return (
    <TableContainer>
      <Table size="small" aria-label={t('rules.label')} data-testid="rules-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('rules.rule')}</TableCell>
            <TableCell>{t('rules.type')}</TableCell>
            <TableCell>{t('rules.watches')}</TableCell>
            <TableCell align="right">{t('rules.threshold')}</TableCell>
            <TableCell>{t('rules.webhook')}</TableCell>
            <TableCell>{t('rules.lastEvaluated')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {[...rules]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((rule) => (
              <TableRow key={rule.name} data-testid="rule-row" data-rule={rule.name}>
                <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>{rule.name}</TableCell>
                <TableCell>{RULE_TYPES[rule.type].label}</TableCell>
                <TableCell sx={{ minWidth: 220, maxWidth: 420, wordBreak: 'break-word' }}>{describeRuleScope(rule)}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  {describeThreshold(rule)}
                </TableCell>
                <TableCell>{rule.webhook_url ? t('rules.yes') : t('rules.no')}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{rule.last_evaluated_at ? formatTime(rule.last_evaluated_at) : t('rules.notYet')}</TableCell>
                <TableCell align="right">
                  <Tooltip title={t('rules.deleteHelp')}>
                    <IconButton size="small" aria-label={t('rules.deleteLabel', { name: rule.name })} onClick={() => onDelete(rule)} data-testid="delete-rule">
                      <DeleteOutlined fontSize="small" />
                    </IconButton>
                  </Tooltip>
                </TableCell>
              </TableRow>
            ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
