import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshotStates } from './browser.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

/**
 * The main pages walked in pt-BR: each must show these Portuguese texts (its heading and a few
 * fixed strings), so a page left in English fails here.
 */
const PAGES_IN_PORTUGUESE: { path: string; texts: string[] }[] = [
  { path: '/features', texts: ['Grupos de features', 'Conjuntos de treino', 'Monitoramento'] },
  { path: '/features', texts: ['Todas as features registradas neste store', 'Nova feature', 'Nenhuma feature ainda'] },
  { path: '/feature-groups', texts: ['Features de uma entidade que são ingeridas', 'Nenhum grupo de features ainda'] },
  { path: '/feature-services', texts: ['Conjuntos nomeados e versionados', 'Montar a partir de features'] },
  { path: '/entities', texts: ['O que as features descrevem', 'Nenhuma entidade ainda'] },
  { path: '/transforms', texts: ['Cada publicação é uma nova versão', 'Nova transformação'] },
  { path: '/ingest', texts: ['Solte um arquivo em qualquer lugar da janela', 'Escolher um arquivo'] },
  { path: '/data-sources', texts: ['que as transformações leem como tabelas SQL', 'Adicionar fonte'] },
  { path: '/jobs', texts: ['Operações longas', 'Atualizar'] },
  { path: '/monitoring', texts: ['Drift e qualidade dos valores das features', 'Qualidade', 'Operação'] },
  { path: '/monitoring?tab=alerts', texts: ['Avaliar agora', 'Nova regra'] },
  { path: '/training', texts: ['Montar um conjunto de treino', 'Escolher features', 'Coluna da chave da entidade'] },
  { path: '/definitions', texts: ['Mantenha as definições no git', 'Planejar e aplicar', 'Exportar'] },
  { path: '/definitions?tab=plan', texts: ['Solte uma pasta de definições aqui', 'Escolher uma pasta…'] },
  { path: '/audit', texts: ['Quem alterou qual definição', 'Todos os tipos', 'Nome do objeto'] },
];

describe('the UI in Portuguese (pt-BR)', () => {
  it('follows the browser language, switches from the top bar, and remembers the choice', async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('nav-feature-groups').getByText('Grupos de features').waitFor();
      expect(await htmlLang(page)).toBe('pt-BR');

      await page.getByTestId('language-menu').click();
      await page.getByTestId('language-en').click();
      await page.getByTestId('nav-feature-groups').getByText('Feature groups').waitFor();
      expect(await htmlLang(page)).toBe('en');

      // The choice survives a reload although the browser still prefers Portuguese.
      await page.reload();
      await page.getByTestId('nav-feature-groups').getByText('Feature groups').waitFor();
      expect(await page.getByTestId('language-menu').getAttribute('data-language')).toBe('en');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('starts in English for a browser that prefers neither language', async () => {
    const { page, close } = await openPage(browser, { locale: 'de-DE' });
    try {
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('nav-feature-groups').getByText('Feature groups').waitFor();
      expect(await htmlLang(page)).toBe('en');
    } finally {
      await close();
    }
  });

  it('walks the main pages in pt-BR', async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      for (const { path, texts } of PAGES_IN_PORTUGUESE) {
        await page.goto(`${service.url}/#${path}`);
        for (const text of texts) await page.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
      }
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await screenshotStates(browser, 'language-pt-BR', async (shot) => {
      await shot.goto(`${service.url}/#/features`);
      await shot.evaluate(() => window.localStorage.setItem('fstore.language', 'pt-BR'));
      await shot.reload();
      await shot.getByTestId('nav-feature-groups').getByText('Grupos de features').waitFor();
    });
  });
});
