import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeConsole, startConsole, type ConsoleFixture } from '../support/console.js'

describeConsole('console: the knowledge base', () => {
  let crm: ConsoleFixture

  beforeAll(async () => {
    crm = await startConsole()
  })
  afterAll(async () => {
    await crm?.close()
  })

  it('searches the knowledge base and tries a question: passages with scores, the answer with a citation', async () => {
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn('/knowledge')
    await tab.page.getByRole('heading', { level: 1, name: 'Knowledge base' }).waitFor()
    await tab.page.getByTestId('kb-articles').waitFor()

    await tab.page.getByLabel('Search titles and text').fill('refund')
    await tab.page.getByRole('button', { name: 'Search', exact: true }).click()
    await expect.poll(() => new URL(tab.page.url()).searchParams.get('q')).toBe('refund')
    await tab.page.getByRole('link', { name: 'Refund timing and where the money goes' }).waitFor()

    // the tabs follow the arrow keys
    await tab.page.getByRole('tab', { name: 'Articles' }).focus()
    await tab.page.keyboard.press('ArrowRight')
    const faqTab = tab.page.getByRole('tab', { name: 'FAQ entries' })
    await expect.poll(() => faqTab.getAttribute('aria-selected')).toBe('true')
    expect(await faqTab.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true)
    await tab.page.getByTestId('kb-faqs').waitFor()

    await tab.page.getByLabel('Customer question').fill('How long does a refund take to reach my card?')
    await tab.page.getByRole('button', { name: 'Ask the agent' }).click()
    const decision = tab.page.getByTestId('agent-decision')
    await decision.waitFor()
    await tab.page.getByTestId('agent-reply').waitFor()
    const citations = tab.page.getByTestId('agent-citations').getByRole('link')
    expect(await citations.count()).toBeGreaterThan(0)
    expect(await citations.first().textContent()).toMatch(/refund/i)
    const hits = tab.page.getByTestId('retrieval-hits')
    await expect.poll(() => hits.textContent()).toMatch(/score \d/)
    await decision.getByRole('meter', { name: /Answer confidence/ }).waitFor()
    await tab.screenshot('knowledge')

    await tab.page.setViewportSize({ width: 390, height: 844 })
    await tab.page.getByTestId('agent-decision').waitFor()
    expect(await tab.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await tab.screenshot('knowledge-390px')
    tab.expectNoProblems()
    await tab.close()
  })

  it('edits an article with a live Markdown preview and saves a new version', async () => {
    const page = await crm.api<{ items: { id: string; title: string; version: number }[] }>(
      'GET',
      '/kb/articles?q=Refund%20timing',
    )
    const article = page.items.find((item) => item.title === 'Refund timing and where the money goes')!
    expect(article).toBeDefined()
    const tab = await crm.newPage({ locale: 'en-US' })
    await tab.signIn(`/knowledge/articles/${article.id}`)
    await tab.page.getByRole('heading', { level: 1, name: 'Edit article' }).waitFor()
    const body = tab.page.getByLabel('Body (Markdown)')
    await expect.poll(() => body.inputValue()).not.toBe('')
    await body.fill(
      '# Refund timing\n\nRefunds reach **your card** within 3 business days.\n\n- Alipay: same day\n\n<img src=x onerror="alert(1)">',
    )
    const preview = tab.page.getByTestId('markdown-preview')
    await preview.getByRole('heading', { name: 'Refund timing' }).waitFor()
    await expect.poll(() => preview.locator('strong').textContent()).toBe('your card')
    expect(await preview.locator('li').textContent()).toBe('Alipay: same day')
    // raw HTML is shown as text, never rendered: no element, no handler
    expect(await preview.textContent()).toContain('<img src=x onerror="alert(1)">')
    expect(await preview.locator('img, [onerror]').count()).toBe(0)
    await tab.screenshot('knowledge-editor')
    await tab.page.getByRole('button', { name: 'Save as a new version' }).click()
    await tab.page.getByText(`Saved — this is version ${article.version + 1}.`).waitFor()
    const saved = await crm.api<{ version: number; body: string }>('GET', `/kb/articles/${article.id}`)
    expect(saved.version).toBe(article.version + 1)
    expect(saved.body).toContain('within 3 business days')
    await tab.page.getByRole('heading', { name: 'Versions' }).waitFor()
    tab.expectNoProblems()
    await tab.close()
  })
})
