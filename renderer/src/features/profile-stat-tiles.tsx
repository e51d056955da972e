import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
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
  const { freshness } = profile;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(170px, 1fr))', gap: 1.5 }} data-testid="profile-tiles">
      <Tile label="Values" value={formatCount(profile.count)} detail={`in ${formatCount(profile.rows)} rows of the group`} testId="profile-count" />
      <Tile label="Null rate" value={formatShare(profile.null_rate)} detail="rows of the group without a value" testId="profile-null-rate" />
      <Tile label="Distinct" value={formatCount(profile.distinct)} detail={profile.count > 0 ? `${formatShare(profile.distinct / profile.count)} of values` : undefined} testId="profile-distinct" />
      <Tile
        label="Newest event"
        value={freshness.age_seconds === null ? '—' : `${formatDuration(freshness.age_seconds * 1000)} ago`}
        detail={freshness.newest_event_time ? formatTime(freshness.newest_event_time) : undefined}
        testId="profile-newest"
      />
      <Tile label="Last 24 hours" value={formatCount(freshness.values_last_day)} detail="values by event time" testId="profile-last-day" />
    </Box>
  );
}
