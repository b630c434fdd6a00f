// What a reader of matrix.html sees, checked in headless Chromium
// (tests/browser/main.mjs, for tests/t_browser.sh), on the matrix of
// tests/matrix/ and a platform that did not run.  Prints one line per fact
// checked; exits 1 on the first that is wrong.
import { fail, ok } from './browser.mjs';

export async function checkMatrix(browser, matrixHtml, shotDir) {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const errors = [];
	page.on('pageerror', e => errors.push(e.message));
	page.on('request', r => { if (!r.url().startsWith('file:')) errors.push(`fetch ${r.url()}`); });
	await page.goto(`file://${matrixHtml}`);

	// a column per platform: kernel and libc, or why it did not run
	const heads = await page.$$eval('thead th[data-platform]', ths => ths.map(th => ({
		name: th.dataset.platform, text: th.textContent, notrun: th.classList.contains('notrun'),
	})));
	if (heads.length !== 4)
		fail(`${heads.length} platform columns, expected 4`);
	const v612 = heads.find(h => h.name === 'vm-6.12-glibc');
	if (!v612 || !v612.text.includes('6.12.117+deb13-amd64') || !v612.text.includes('glibc 2.41'))
		fail(`vm-6.12-glibc header: ${v612 && v612.text}`);
	const musl = heads.find(h => h.name === 'musl');
	if (!musl || !musl.notrun || !musl.text.includes('skipped: no musl here'))
		fail(`the platform that did not run: ${musl && musl.text}`);
	ok(`4 platform columns, kernel and libc in each header, the skipped one says why`);

	// the rows that differ first, highlighted, under their clause
	const rows = await page.$$eval('tr.check', trs => trs.map(tr => ({
		id: tr.dataset.id, differs: tr.classList.contains('differs'),
		group: tr.closest('tbody').id, bg: getComputedStyle(tr.cells[1]).backgroundColor,
	})));
	const firstSame = rows.findIndex(r => !r.differs);
	if (rows.filter(r => r.differs).length !== 3 || rows.slice(0, 3).some(r => !r.differs) ||
	    rows.some(r => r.group !== (r.differs ? 'differ' : 'same')))
		fail(`rows: ${JSON.stringify(rows)}`);
	if (rows[0].bg === rows[firstSame].bg)
		fail(`a differing row looks like the others (${rows[0].bg})`);
	ok(`the 3 differing rows come first, highlighted (${rows[0].bg}), then ${rows.length - 3} the same`);

	const cell = await page.$eval('tr[data-id="getaddrinfo.servfail"] td[data-platform="vm-6.12-glibc"]',
		td => ({ verdict: td.dataset.verdict, text: td.textContent }));
	if (cell.verdict !== 'xfail' || !cell.text.includes('EAI_FAIL'))
		fail(`getaddrinfo.servfail on vm-6.12-glibc: ${JSON.stringify(cell)}`);
	const key = await page.$eval('tr[data-id="getaddrinfo.servfail"] td[data-platform="vm-6.12-glibc"] .val .k',
		k => k.textContent.trim()).catch(() => '');
	if (!key)
		fail('the value in a cell has no key beside it');
	ok(`a cell shows the verdict and the value that matters, with its key: ${cell.text}`);
	const legend = await page.$$eval('#legend .badge', bs => bs.map(b => b.textContent));
	if (legend.join(' ') !== 'pass fail xfail xpass skip error')
		fail(`legend: ${legend.join(' ')}`);
	ok('a legend of the verdicts, the clause states and the highlighting');

	const states = await page.$eval('tbody#differ tr.clause[data-clause="gai-7"]',
		tr => [...tr.querySelectorAll('td[data-state]')].map(td => td.dataset.state));
	if (states.join(' ') !== 'deviates deviates fails -')
		fail(`clause gai-7 per platform: ${states.join(' ')}`);
	ok(`clause gai-7: ${states.join(', ')}`);

	// the checkbox hides what is the same everywhere, and shows it again
	const visible = sel => page.$$eval(sel, els => els.filter(e => e.offsetParent !== null).length);
	const same = await visible('tbody#same tr.check');
	await page.check('#only-differ');
	if (await visible('tbody#same tr.check') !== 0 || await visible('tbody#differ tr.check') !== 3)
		fail('"only the checks that differ" leaves the same rows or hides differing ones');
	await page.uncheck('#only-differ');
	if (await visible('tbody#same tr.check') !== same)
		fail('unchecking does not show the same rows again');
	ok(`"only the checks that differ" hides and shows ${same} rows`);

	await page.screenshot({ path: `${shotDir}/matrix.png`, fullPage: true });

	// 420 px: the table reflows, each cell under its platform's name
	await page.setViewportSize({ width: 420, height: 900 });
	const sideways = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
	if (sideways > 0)
		fail(`at 420 px matrix.html scrolls ${sideways} px sideways`);
	const named = await page.$eval('tr[data-id="getaddrinfo.servfail"] td[data-platform="vm-6.12-glibc"]',
		td => getComputedStyle(td, '::before').content);
	if (!named.includes('vm-6.12-glibc'))
		fail(`at 420 px a cell does not say its platform: ${named}`);
	await page.screenshot({ path: `${shotDir}/matrix-narrow.png`, fullPage: false });
	ok(`at 420 px no sideways scrolling, each cell says its platform (${named})`);
	if (errors.length)
		fail(`page errors or fetches: ${errors.join('; ')}`);
	ok('no script error, nothing fetched from outside the file');
}
