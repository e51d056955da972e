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
  return (
    <TableContainer>
      <Table size="small" aria-label="Alert rules" data-testid="rules-table">
        <TableHead>
          <TableRow>
            <TableCell>Rule</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Watches</TableCell>
            <TableCell align="right">Threshold</TableCell>
            <TableCell>Webhook</TableCell>
            <TableCell>Last evaluated</TableCell>
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
                <TableCell sx={{ maxWidth: 420, wordBreak: 'break-word' }}>{describeRuleScope(rule)}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  {describeThreshold(rule)}
                </TableCell>
                <TableCell>{rule.webhook_url ? 'Yes' : 'No'}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{rule.last_evaluated_at ? formatTime(rule.last_evaluated_at) : 'Not yet'}</TableCell>
                <TableCell align="right">
                  <Tooltip title="Delete the rule (its firing alerts resolve)">
                    <IconButton size="small" aria-label={`Delete rule ${rule.name}`} onClick={() => onDelete(rule)} data-testid="delete-rule">
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
