import { useMemo } from 'react';
import { useTheme } from '@mui/material/styles';

/** Chart colours and text styles from the MUI theme, so charts follow light and dark mode. */
export function useChartTheme() {
  const theme = useTheme();
  return useMemo(() => {
    const { palette, typography } = theme;
    return {
      baseline: palette.text.disabled,
      current: palette.primary.main,
      threshold: palette.error.main,
      p50: palette.secondary.main,
      p95: palette.warning.main,
      p99: palette.error.main,
      grid: palette.divider,
      axisTick: { fill: palette.text.secondary, fontSize: 12, fontFamily: typography.fontFamily },
      tooltip: {
        contentStyle: {
          backgroundColor: palette.background.paper,
          border: `1px solid ${palette.divider}`,
          borderRadius: 8,
          color: palette.text.primary,
          fontSize: 13,
        },
        labelStyle: { color: palette.text.primary, fontWeight: 600 },
        cursor: { fill: palette.action.hover, stroke: palette.divider },
      },
      legend: { color: palette.text.secondary, fontSize: 13 },
    };
  }, [theme]);
}
