import { useState } from 'react';
import IconButton from '@mui/material/IconButton';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Tooltip from '@mui/material/Tooltip';
import TranslateOutlined from '@mui/icons-material/TranslateOutlined';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, currentLanguage } from '../i18n/i18n.js';
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n/languages.js';

/** The UI language switch in the top bar: each language listed in its own name. */
export function LanguageMenu() {
  const { t } = useTranslation();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const active = currentLanguage();
  return (
    <>
      <Tooltip title={t('language.menu')}>
        <IconButton
          color="inherit"
          aria-label={`${t('language.menu')}: ${LANGUAGE_NAMES[active]}`}
          aria-haspopup="menu"
          aria-expanded={anchor !== null}
          data-testid="language-menu"
          data-language={active}
          onClick={(event) => setAnchor(event.currentTarget)}
        >
          <TranslateOutlined />
        </IconButton>
      </Tooltip>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)} slotProps={{ list: { 'aria-label': t('language.choose') } }}>
        {LANGUAGES.map((language) => (
          <MenuItem
            key={language}
            lang={language}
            selected={language === active}
            data-testid={`language-${language}`}
            onClick={() => {
              setAnchor(null);
              void chooseLanguage(language);
            }}
          >
            {LANGUAGE_NAMES[language]}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
