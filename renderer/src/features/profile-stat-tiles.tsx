import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { FeatureProfile } from '@shared/api/profile.js';
import { formatDuration } from '../common/format-duration.js';
import { formatCount } from '../common/format-number.js';
import { formatTime } from '../common/format-time.js';
import { formatShare } from '../monitoring/format-metric.js';

function Tile({ label, value, detail, testId }: { label: string; value: ReactNode; detail?: ReactNode; testId: string }) {
  return (
    <Box data-testid={testId} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, px: 2, py: 1.5, minWidth: 0 }}>
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary', fontWeight: 600, letterSpacing: '0.03em' }}>
        {label}
      </Typography>
      <Typography variant="h6" component="div" sx={{ fontWeight: 650, lineHeight: 1.4, overflowWrap: 'anywhere' }}>
        {value}
      </Typography>
      {detail && (
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
          {detail}
        </Typography>
      )}
    </Box>
  );
}

/** The numbers a reader looks at first: how many values, how many missing, how varied, how fresh. */
export function ProfileStatTiles({ profile }: { profile: FeatureProfile }) {
  const { t } = useTranslation('features');
  const { freshness } = profile;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(170px, 1fr))', gap: 1.5 }} data-testid="profile-tiles">
      <Tile label={t('tiles.values')} value={formatCount(profile.count)} detail={t('tiles.inRows', { rows: formatCount(profile.rows) })} testId="profile-count" />
      <Tile label={t('tiles.nullRate')} value={formatShare(profile.null_rate)} detail={t('tiles.nullRateDetail')} testId="profile-null-rate" />
      <Tile label={t('tiles.distinct')} value={formatCount(profile.distinct)} detail={profile.count > 0 ? t('tiles.distinctDetail', { share: formatShare(profile.distinct / profile.count) }) : undefined} testId="profile-distinct" />
      <Tile
        label={t('tiles.newest')}
        value={freshness.age_seconds === null ? '—' : t('tiles.ago', { duration: formatDuration(freshness.age_seconds * 1000) })}
        detail={freshness.newest_event_time ? formatTime(freshness.newest_event_time) : undefined}
        testId="profile-newest"
      />
      <Tile label={t('tiles.lastDay')} value={formatCount(freshness.values_last_day)} detail={t('tiles.lastDayDetail')} testId="profile-last-day" />
    </Box>
  );
}
