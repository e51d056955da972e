import Box from '@mui/material/Box';

/** A read-only, selectable block of code (commands, JSON). */
export function CodeBlock({ code, label }: { code: string; label: string }) {
  return (
    <Box
      component="pre"
      aria-label={label}
      data-testid="code-block"
      sx={(theme) => ({
        m: 0,
        p: 2,
        justifySelf: 'stretch',
        maxWidth: '100%',
        borderRadius: 1,
        overflowX: 'auto',
        fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
        fontSize: 12.5,
        lineHeight: 1.6,
        textAlign: 'left',
        whiteSpace: 'pre',
        bgcolor: theme.palette.mode === 'dark' ? 'rgba(255,255,255,0.04)' : 'grey.100',
        border: 1,
        borderColor: 'divider',
      })}
    >
      {code}
    </Box>
  );
}
