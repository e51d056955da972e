import type { ReactElement } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { ResponsiveContainer } from 'recharts';

interface ChartFrameProps {
  title: string;
  caption?: string;
  height: number;
  testId: string;
  children: ReactElement;
}

/** A titled chart of fixed height that takes the width of its column. */
export function ChartFrame({ title, caption, height, testId, children }: ChartFrameProps) {
  return (
    <Box component="figure" data-testid={testId} sx={{ m: 0, minWidth: 0 }}>
      <Typography variant="subtitle2" component="figcaption" sx={{ fontWeight: 650 }}>
        {title}
      </Typography>
      {caption && (
        <Typography variant="caption" component="p" sx={{ color: 'text.secondary', m: 0, mb: 1 }}>
          {caption}
        </Typography>
      )}
      {/* minWidth 0 lets the container shrink inside grid columns; the initial size avoids a zero-size first render. */}
      <ResponsiveContainer width="100%" height={height} minWidth={0} initialDimension={{ width: 480, height }}>
        {children}
      </ResponsiveContainer>
    </Box>
  );
}
