import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { Link as RouterLink } from 'react-router-dom';
import type { OutputFeature } from '@shared/domain/schemas.js';
import { useTranslation } from 'react-i18next';
import { MONO_SX } from '../common/mono-text.js';

/**
 * A transform's output features: name, feature value type, DuckDB column type. Names link to the
 * feature pages once the features exist (a published transform), not in a publish plan.
 */
export function OutputFeaturesTable({ features, linkNames, testId, rowTestId }: { features: OutputFeature[]; linkNames: boolean; testId: string; rowTestId: string }) {
  const { t } = useTranslation('transforms');
  return (
    <Table size="small" aria-label={t('output.label')} data-testid={testId}>
      <TableHead>
        <TableRow>
          <TableCell>{t('output.feature')}</TableCell>
          <TableCell>{t('output.valueType')}</TableCell>
          <TableCell>{t('output.columnType')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {features.map((f) => (
          <TableRow key={f.name} data-testid={rowTestId} data-feature={f.name}>
            <TableCell sx={linkNames ? undefined : { ...MONO_SX, fontWeight: 600 }}>
              {linkNames ? (
                <Link component={RouterLink} to={`/features/${encodeURIComponent(f.name)}`} underline="hover" sx={{ ...MONO_SX, fontWeight: 600 }}>
                  {f.name}
                </Link>
              ) : (
                f.name
              )}
            </TableCell>
            <TableCell sx={MONO_SX}>{f.value_type}</TableCell>
            <TableCell sx={{ ...MONO_SX, color: 'text.secondary' }}>{f.duck_type}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
