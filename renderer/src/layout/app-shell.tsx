import { useState, type ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useTheme } from '@mui/material/styles';
import MenuIcon from '@mui/icons-material/Menu';
import { ApiKeyButton } from '../api/api-key-button.js';
import { ShortcutsButton } from '../shortcuts/shortcuts-button.js';
import { useTranslation } from 'react-i18next';
import { ColorModeToggle } from './color-mode-toggle.js';
import { LanguageMenu } from './language-menu.js';
import { NavDrawer } from './nav-drawer.js';
import { ServiceDownBanner } from './service-down-banner.js';
import { MAIN_CONTENT_ID, SkipLink } from './skip-link.js';

/** App frame: skip link, top bar, left navigation, and the routed page in the content area. */
export function AppShell({ children }: { children: ReactNode }) {
  const theme = useTheme();
  const isWide = useMediaQuery(theme.breakpoints.up('md'), { noSsr: true });
  const [isNavOpen, setIsNavOpen] = useState(false);
  const { t } = useTranslation();

  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      <SkipLink />
      <AppBar position="fixed" sx={{ zIndex: (t) => t.zIndex.drawer + 1 }}>
        <Toolbar sx={{ gap: 1 }}>
          {!isWide && (
            <IconButton edge="start" color="inherit" aria-label={t('nav.open')} onClick={() => setIsNavOpen(true)}>
              <MenuIcon />
            </IconButton>
          )}
          <Box
            component={RouterLink}
            to="/features"
            sx={{ display: 'flex', alignItems: 'center', gap: 1.25, color: 'inherit', textDecoration: 'none' }}
          >
            <Box
              aria-hidden
              sx={{
                width: 28,
                height: 28,
                borderRadius: 1.5,
                bgcolor: 'primary.main',
                color: 'primary.contrastText',
                display: 'grid',
                placeItems: 'center',
                fontWeight: 800,
                fontSize: 15,
              }}
            >
              F
            </Box>
            <Typography variant="h6" component="span" sx={{ fontWeight: 700, letterSpacing: '-0.02em' }}>
              FStore
            </Typography>
          </Box>
          <Typography variant="body2" sx={{ color: 'text.secondary', ml: 1, display: { xs: 'none', sm: 'block' } }}>
            {t('tagline')}
          </Typography>
          <Box sx={{ flex: 1 }} />
          <ApiKeyButton />
          <ShortcutsButton />
          <LanguageMenu />
          <ColorModeToggle />
        </Toolbar>
      </AppBar>
      <NavDrawer isPermanent={isWide} isOpen={isNavOpen} onClose={() => setIsNavOpen(false)} />
      <Box component="main" id={MAIN_CONTENT_ID} tabIndex={-1} sx={{ flex: 1, minWidth: 0, bgcolor: 'background.default', outline: 'none' }}>
        <Toolbar />
        <Box sx={{ p: { xs: 2, md: 4 }, maxWidth: 1400, mx: 'auto' }}>
          <ServiceDownBanner />
          {children}
        </Box>
      </Box>
    </Box>
  );
}
