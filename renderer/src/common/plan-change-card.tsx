import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { FieldChange } from '@shared/domain/schemas.js';
import { FieldChangesTable } from './field-changes-table.js';
import { MONO_SX } from './mono-text.js';

export type PlanChipColor = 'success' | 'primary' | 'secondary' | 'warning' | 'default';

interface PlanChangeCardProps {
  kind: string;
  name: string;
  /** The kind as people read it ("Feature group"). */
  kindLabel: string;
  action: string;
  actionLabel: string;
  actionColor: PlanChipColor;
  /** Unchanged or left-alone objects are drawn quieter. */
  isMuted: boolean;
  /** "v2 → v3", "new". */
  versionText: string;
  versionBefore: number | null;
  breaking: boolean;
  breakingChip: ReactNode;
  changes: readonly FieldChange[];
  /** Where the name links to, if anywhere. */
  href?: string | undefined;
  /** A one-character sign before the action (+, ~, -), like a terminal plan. */
  sign?: string | undefined;
  /** Outline the card in the error colour when breaking. */
  isBreakingOutlined?: boolean;
  /** Shown between the header and the field changes (reasons, notes). */
  children?: ReactNode;
  /** Shown after the field changes (impact). */
  footer?: ReactNode;
}

/** One object of a publish or apply plan: action, kind, name, version change, field diffs, extras. */
export function PlanChangeCard(props: PlanChangeCardProps) {
  const { t } = useTranslation();
  const { kind, name, kindLabel, action, breaking, isMuted, changes } = props;
  return (
    <Box
      component="li"
      data-testid="plan-change"
      data-kind={kind}
      data-name={name}
      data-action={action}
      data-breaking={String(breaking)}
      sx={{
        border: 1,
        borderColor: breaking && props.isBreakingOutlined ? 'error.main' : 'divider',
        borderRadius: 1.5,
        p: 1.5,
        display: 'grid',
        gap: 1,
        opacity: isMuted ? 0.75 : 1,
      }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        {props.sign !== undefined && (
          <Box component="span" aria-hidden sx={{ ...MONO_SX, fontWeight: 700, width: 12, color: 'text.secondary' }}>
            {props.sign}
          </Box>
        )}
        <Chip size="small" label={props.actionLabel} color={props.actionColor} variant={isMuted ? 'outlined' : 'filled'} data-testid="change-action" />
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {kindLabel}
        </Typography>
        {props.href ? (
          <Link component={RouterLink} to={props.href} underline="hover" sx={{ ...MONO_SX, fontWeight: 650 }}>
            {name}
          </Link>
        ) : (
          <Box component="span" sx={{ ...MONO_SX, fontWeight: 650 }}>
            {name}
          </Box>
        )}
        <Typography variant="caption" sx={{ ...MONO_SX, fontSize: 12, color: 'text.secondary' }}>
          {props.versionText}
        </Typography>
        {breaking && props.breakingChip}
      </Box>
      {props.children}
      {changes.length > 0 && (
        <FieldChangesTable
          changes={changes}
          beforeLabel={props.versionBefore === null ? t('changes.before') : t('changes.beforeVersion', { version: props.versionBefore })}
          afterLabel={action === 'create' ? t('changes.value') : t('changes.after')}
          isCreation={action === 'create'}
          ariaLabel={t('changes.label', { kind: kindLabel.toLowerCase(), name })}
        />
      )}
      {props.footer}
    </Box>
  );
}
