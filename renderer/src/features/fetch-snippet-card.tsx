import { useState } from 'react';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useTranslation } from 'react-i18next';
import { CodeBlock } from '../common/code-block.js';
import { SectionCard } from '../common/section-card.js';
import { CopyButton } from './copy-button.js';
import { curlSnippet, pythonSnippet, type SnippetTarget } from './fetch-snippets.js';

/** How to fetch the feature's served values from code, ready to copy. */
export function FetchSnippetCard({ target }: { target: SnippetTarget }) {
  const { t } = useTranslation('features');
  const [language, setLanguage] = useState<'python' | 'curl'>('python');
  const code = language === 'python' ? pythonSnippet(target) : curlSnippet(target);
  return (
    <SectionCard
      title={t('snippet.title')}
      subtitle={t('snippet.subtitle')}
      testId="fetch-snippet"
      actions={<CopyButton text={code} label={language === 'python' ? t('snippet.copyPython') : t('snippet.copyCurl')} testId="copy-snippet" />}
    >
      <Tabs value={language} onChange={(_e, next: 'python' | 'curl') => setLanguage(next)} sx={{ minHeight: 36, mt: -1.5, mb: 1.5 }} aria-label={t('snippet.language')}>
        <Tab label="Python" value="python" data-testid="snippet-python" sx={{ minHeight: 36, py: 0.5 }} />
        <Tab label="curl" value="curl" data-testid="snippet-curl" sx={{ minHeight: 36, py: 0.5 }} />
      </Tabs>
      <Box data-testid="snippet-code" sx={{ display: 'grid' }}>
        <CodeBlock code={code} label={language === 'python' ? t('snippet.python') : t('snippet.curl')} />
      </Box>
    </SectionCard>
  );
}
