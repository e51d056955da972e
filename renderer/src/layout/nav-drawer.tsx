import { Link as RouterLink, useLocation } from 'react-router-dom';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Toolbar from '@mui/material/Toolbar';
import { useTranslation } from 'react-i18next';
import { NAV_ITEMS } from './nav-items.js';
import { ServiceStatus } from './service-status.js';

export const DRAWER_WIDTH = 232;

interface NavDrawerProps {
  isPermanent: boolean;
  isOpen: boolean;
  onClose: () => void;
}

export function NavDrawer({ isPermanent, isOpen, onClose }: NavDrawerProps) {
  const { pathname } = useLocation();
  const { t } = useTranslation();
  return (
    <Drawer
      variant={isPermanent ? 'permanent' : 'temporary'}
      open={isPermanent || isOpen}
      onClose={onClose}
      sx={{
        width: DRAWER_WIDTH,
        flexShrink: 0,
        '& .MuiDrawer-paper': { width: DRAWER_WIDTH, boxSizing: 'border-box', display: 'flex' },
      }}
    >
      <Toolbar />
      <Box component="nav" aria-label={t('nav.label')} sx={{ flex: 1, overflowY: 'auto' }}>
        <List sx={{ px: 1, py: 1.5 }}>
          {NAV_ITEMS.map(({ label, path, icon: Icon, testId }) => {
            const isActive = pathname === path || pathname.startsWith(`${path}/`);
            return (
              // A list holds list items: each link in its own <li> (axe: list).
              <ListItem key={path} disablePadding>
                <ListItemButton
                  component={RouterLink}
                  to={path}
                  selected={isActive}
                  aria-current={isActive ? 'page' : undefined}
                  data-testid={testId}
                  onClick={isPermanent ? undefined : onClose}
                  sx={{ borderRadius: 1.5, mb: 0.5 }}
                >
                  <ListItemIcon sx={{ minWidth: 36 }}>
                    <Icon fontSize="small" color={isActive ? 'primary' : 'inherit'} />
                  </ListItemIcon>
                  <ListItemText primary={t(`nav.${label}`)} slotProps={{ primary: { sx: { fontWeight: isActive ? 600 : 500, fontSize: 14 } } }} />
                </ListItemButton>
              </ListItem>
            );
          })}
        </List>
      </Box>
      <Divider />
      <ServiceStatus />
    </Drawer>
  );
}
