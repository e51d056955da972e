import { Fragment } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { MENU_PAGES } from '@shared/ipc/desktop-api.js';
import { NAV_ITEMS } from '../layout/nav-items.js';
import { GO_KEYS, SHORTCUTS, type ShortcutEntry } from './shortcut-catalogue.js';

interface SheetRow {
  id: string;
  label: string;
  /** Alternatives; each a sequence of chords ("g" then "t" is two chords of one key). */
  keys: readonly (readonly (readonly string[])[])[];
}

/** Every shortcut, grouped: anywhere, go to a page, the transform studio. Opened by "?" and Help ▸ Keyboard shortcuts. */
export function ShortcutsSheet({ open, onClose, isMac }: { open: boolean; onClose: () => void; isMac: boolean }) {
  const { t } = useTranslation('shortcuts');
  const { t: tCommon } = useTranslation();
  const rowsOf = (scope: ShortcutEntry['scope']): SheetRow[] =>
    SHORTCUTS.filter((s) => s.scope === scope).map((s) => ({ id: s.id, label: t(`action.${s.id}`), keys: s.keys.map((chord) => [chord]) }));
  const pageRows: SheetRow[] = MENU_PAGES.map((page, index) => {
    const item = NAV_ITEMS.find((i) => i.path === `/${page}`);
    return {
      id: `go-${page}`,
      label: item ? tCommon(`nav.${item.label}`) : page,
      keys: [[['G'], [GO_KEYS[page].toUpperCase()]], ...(index < 9 ? [[['Mod', String(index + 1)]]] : [])],
    };
  });
  const keyCap = (key: string) => (key === 'Mod' ? (isMac ? '⌘' : 'Ctrl') : key === 'Shift' ? (isMac ? '⇧' : t('key.shift')) : key === 'Enter' ? t('key.enter') : key);

  const section = (title: string, rows: SheetRow[], testId: string) => (
    <Box component="section" sx={{ mb: 2 }} data-testid={testId}>
      <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 650, mb: 0.5 }}>
        {title}
      </Typography>
      <Table size="small">
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.id} data-testid={`shortcut-${row.id}`}>
              <TableCell sx={{ pl: 0 }}>{row.label}</TableCell>
              <TableCell align="right" sx={{ pr: 0, whiteSpace: 'nowrap' }}>
                {row.keys.map((sequence, a) => (
                  <Fragment key={a}>
                    {a > 0 && <Box component="span" sx={{ mx: 0.75, color: 'text.secondary', fontSize: 12 }}>{t('sheet.or')}</Box>}
                    {sequence.map((chord, c) => (
                      <Fragment key={c}>
                        {c > 0 && <Box component="span" sx={{ mx: 0.5, color: 'text.secondary', fontSize: 12 }}>{t('sheet.then')}</Box>}
                        {chord.map((key, k) => (
                          <Fragment key={k}>
                            {k > 0 && <Box component="span" sx={{ mx: 0.25, color: 'text.secondary' }}>+</Box>}
                            <Kbd>{keyCap(key)}</Kbd>
                          </Fragment>
                        ))}
                      </Fragment>
                    ))}
                  </Fragment>
                ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );

  return (
    <Dialog open={open} onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="shortcuts-sheet-title" data-testid="shortcuts-sheet">
      <DialogTitle id="shortcuts-sheet-title">{t('sheet.title')}</DialogTitle>
      <DialogContent dividers>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
          {t('sheet.intro')}
        </Typography>
        {section(t('sheet.general'), rowsOf('app'), 'shortcuts-general')}
        {section(t('sheet.studio'), rowsOf('studio'), 'shortcuts-studio')}
        {section(t('sheet.navigation'), pageRows, 'shortcuts-navigation')}
        {!window.fstore && (
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            {t('sheet.desktopOnly')}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="shortcuts-sheet-close">
          {t('sheet.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function Kbd({ children }: { children: string }) {
  return (
    <Box
      component="kbd"
      sx={{
        display: 'inline-block',
        minWidth: 22,
        px: 0.75,
        py: 0.125,
        border: 1,
        borderColor: 'divider',
        borderBottomWidth: 2,
        borderRadius: 1,
        bgcolor: 'action.hover',
        fontFamily: 'inherit',
        fontSize: 12,
        fontWeight: 600,
        textAlign: 'center',
        lineHeight: 1.6,
      }}
    >
      {children}
    </Box>
  );
}
