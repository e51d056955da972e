import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { Trans, useTranslation } from 'react-i18next';
import type { FeatureProfile } from '@shared/api/profile.js';
import { formatCount } from '../common/format-number.js';
import { formatTime } from '../common/format-time.js';
import { FetchSnippetCard } from './fetch-snippet-card.js';
import { IngestionSourceLabel } from './ingestion-source-label.js';
import { LatestValuesTable } from './latest-values-table.js';
import { ProfileDistributionChart } from './profile-distribution-chart.js';
import { ProfileStatisticsTable } from './profile-statistics-table.js';
import { ProfileStatTiles } from './profile-stat-tiles.js';

/** The Data tab: what the feature's stored values look like, how fresh they are, and how to fetch them. */
export function FeatureDataPanel({ profile, baseUrl }: { profile: FeatureProfile; baseUrl: string }) {
  const { t } = useTranslation('features');
  const target = { baseUrl, entity: profile.entity, feature: profile.feature, keys: profile.latest.slice(0, 2).map((l) => l.entity_key) };
  if (profile.window === null) {
    return (
      <Box sx={{ display: 'grid', gap: 2.5 }} data-testid="feature-data">
        <Alert severity="info" data-testid="profile-empty">
          <Trans
            t={t}
            i18nKey="data.noValues"
            values={{ feature: profile.feature }}
            components={{ code: <Box component="code" sx={{ fontWeight: 600 }} />, pageLink: <Link component={RouterLink} to="/ingest" underline="hover" /> }}
          />
        </Alert>
        <FetchSnippetCard target={target} />
      </Box>
    );
  }
  const { window } = profile;
  return (
    <Box sx={{ display: 'grid', gap: 2.5, minWidth: 0 }} data-testid="feature-data">
      <Box sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 3, rowGap: 0.5, alignItems: 'baseline' }}>
        <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="profile-window">
          {window.complete
            ? t('data.complete', { values: formatCount(window.history_values), time: formatTime(window.end) })
            : t('data.partial', { shown: formatCount(profile.count), values: formatCount(window.history_values), since: formatTime(window.start) })}
        </Typography>
        {profile.ingestion && (
          <Typography variant="body2" component="div" sx={{ color: 'text.secondary' }}>
            {t('data.lastWrittenBy')} <IngestionSourceLabel source={profile.ingestion} inline />
          </Typography>
        )}
      </Box>
      <ProfileStatTiles profile={profile} />
      <Box
        sx={{
          display: 'grid',
          gap: 3,
          // A few category bars read best at a bounded width; histograms use the room.
          gridTemplateColumns: profile.kind === 'numeric' ? { xs: 'minmax(0, 1fr)', md: 'minmax(0, 1fr) 240px' } : 'minmax(0, 760px)',
          alignItems: 'start',
        }}
      >
        <ProfileDistributionChart profile={profile} />
        {profile.kind === 'numeric' && <ProfileStatisticsTable profile={profile} />}
      </Box>
      {/* Side by side only where the snippet's lines fit without scrolling. */}
      <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: 'minmax(0, 1fr)', xl: 'repeat(2, minmax(0, 1fr))' }, alignItems: 'start' }}>
        <LatestValuesTable values={profile.latest} />
        <FetchSnippetCard target={target} />
      </Box>
    </Box>
  );
}
