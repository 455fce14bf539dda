import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import ts from 'typescript'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const fixture = (name: string) => readFileSync(`${root}test/fixtures/layer-violations/${name}`, 'utf8')
const eslint = new ESLint({ cwd: root })

const LAYER_RULE = 'layers/allowed-imports'

/** Lints `code` as if it lived at `filePath` and returns the messages of `rule`. */
async function lintAs(code: string, filePath: string, rule = LAYER_RULE) {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` })
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message)
}

/** Lints where the import is allowed: the layer rule must apply there, so "clean" is not "unchecked". */
async function cleanAs(code: string, filePath: string) {
  const config = await eslint.calculateConfigForFile(`${root}${filePath}`)
  expect(config.rules?.[LAYER_RULE], `${LAYER_RULE} applies to ${filePath}`).toBeDefined()
  return lintAs(code, filePath)
}

describe('layer rules (allow-lists, eslint/layer-imports.js)', () => {
  it('core: Node built-ins and main/node are refused in main/core, allowed in main/electron', async () => {
    const code = fixture('core-imports-node.ts')
    expect(await lintAs(code, 'main/core/fixture-violation.ts')).toEqual([
      expect.stringMatching(
        /^'node:fs' \(a Node built-in\) is not on the allow-list of core: main\/core is pure/,
      ),
      expect.stringMatching(
        /^'\.\.\/node\/db\/database' \(main\/node\/db\/database\) is not on the allow-list of core: /,
      ),
    ])
    expect(await cleanAs(code, 'main/electron/fixture-ok.ts')).toEqual([])
  })

  it('node: main/sandbox is refused in main/node (and main/core, main/electron), allowed in main/sandbox and the CLI', async () => {
    const code = fixture('imports-sandbox-demo.ts')
    for (const [where, layer] of [
      ['main/node/fixture-violation.ts', 'node'],
      ['main/core/fixture-violation.ts', 'core'],
      ['main/electron/fixture-violation.ts', 'electron'],
    ] as const) {
      expect(await lintAs(code, where), where).toEqual([
        expect.stringMatching(
          new RegExp(
            `^'\\.\\./sandbox/demo-env' \\(main/sandbox/demo-env\\) is not on the allow-list of ${layer}: `,
          ),
        ),
      ])
    }
    expect(await cleanAs(code, 'main/sandbox/fixture-ok.ts')).toEqual([])
    expect(await cleanAs(code, 'main/cli/fixture-ok.ts')).toEqual([])
    // The Electron host's entry point sits beside main/electron/, as main/cli.ts beside main/cli/.
    expect(await cleanAs(code.replace("'../sandbox/", "'./sandbox/"), 'main/electron.ts')).toEqual([])
  })

  it('node: electron is refused in main/node, allowed in main/electron', async () => {
    const code = fixture('node-imports-electron.ts')
    expect(await lintAs(code, 'main/node/fixture-violation.ts')).toEqual([
      expect.stringMatching(
        /^'electron' \(a package\) is not on the allow-list of node: .*never main\/sandbox/,
      ),
    ])
    expect(await cleanAs(code, 'main/electron/fixture-ok.ts')).toEqual([])
  })

  it('electron: a package main/electron does not list is refused there, allowed where listed', async () => {
    const code = "import { z } from 'zod'\n\nexport const leak = () => z\n"
    expect(await lintAs(code, 'main/electron/fixture-violation.ts')).toEqual([
      expect.stringMatching(/^'zod' \(a package\) is not on the allow-list of electron: /),
    ])
    expect(await cleanAs(code, 'shared/fixture-ok.ts')).toEqual([])
  })

  it('sandbox: main/electron is refused in main/sandbox, allowed in main/electron', async () => {
    const code = fixture('sandbox-imports-electron.ts')
    expect(await lintAs(code, 'main/sandbox/fixture-violation.ts')).toEqual([
      expect.stringMatching(
        /^'\.\.\/electron\/window' \(main\/electron\/window\) is not on the allow-list of sandbox: /,
      ),
    ])
    expect(await cleanAs(code, 'main/electron/fixture-ok.ts')).toEqual([])
  })

  it('preload: shared/contract and Node are refused in preload, allowed in a host', async () => {
    const code = fixture('preload-imports-node.ts')
    expect(await lintAs(code, 'preload/fixture-violation.ts')).toEqual([
      expect.stringMatching(
        /^'\.\.\/shared\/contract' \(shared\/contract\) is not on the allow-list of preload: /,
      ),
      expect.stringMatching(/^'node:fs' \(a Node built-in\) is not on the allow-list of preload: /),
    ])
    expect(await cleanAs(code, 'main/cli.ts')).toEqual([])
  })

  it('preload: electron names other than contextBridge and ipcRenderer are refused, allowed in main/electron', async () => {
    const code = fixture('preload-imports-electron-app.ts')
    expect(await lintAs(code, 'preload/fixture-violation.ts')).toEqual([
      expect.stringMatching(/^'app' from 'electron' is not on the allow-list of preload: /),
    ])
    expect(await cleanAs(code, 'main/electron/fixture-ok.ts')).toEqual([])
  })

  it('renderer: main/ and Node are refused in the renderer, allowed in main/electron', async () => {
    const code = fixture('renderer-imports-main.ts')
    expect(await lintAs(code, 'renderer/src/fixture-violation.ts')).toEqual([
      expect.stringMatching(
        /^'\.\.\/\.\.\/main\/node\/db\/database' \(main\/node\/db\/database\) is not on the allow-list of renderer: /,
      ),
      expect.stringMatching(/^'node:fs' \(a Node built-in\) is not on the allow-list of renderer: /),
    ])
    expect(await cleanAs(code, 'main/electron/fixture-ok.ts')).toEqual([])
  })

  it('shared: main/core is refused in shared, allowed in a host', async () => {
    const code = fixture('shared-imports-core.ts')
    expect(await lintAs(code, 'shared/fixture-violation.ts')).toEqual([
      expect.stringMatching(
        /^'\.\.\/main\/core\/rate-limit\/token-bucket' \(main\/core\/rate-limit\/token-bucket\) is not on the allow-list of shared: shared\/ imports only its schema library/,
      ),
    ])
    expect(await cleanAs(code, 'main/cli.ts')).toEqual([])
  })

  it('lint refuses SQL everywhere in main/ outside main/node/db: prepare, pragma, exec on a database', async () => {
    const sql = fixture('sql-outside-db.ts')
    for (const where of [
      'main/core/fixture-violation.ts',
      'main/node/engine/fixture-violation.ts',
      'main/node/fixture-violation.ts',
      'main/electron/fixture-violation.ts',
      'main/sandbox/fixture-violation.ts',
      'main/sandbox/odoo/fixture-violation.ts',
      'main/cli.ts',
      'main/cli/fixture-violation.ts',
      'main/preview.ts',
    ]) {
      const errors = await lintAs(sql, where, 'no-restricted-syntax')
      expect(errors, where).toEqual([
        expect.stringMatching(/SQL lives in main\/node\/db: add a function to a repository/),
        expect.stringMatching(/Pragmas live in main\/node\/db/),
        expect.stringMatching(/tables come from a migration/),
      ])
    }
  })

  it('the SQL fixture is clean inside main/node/db, and default exports stay refused outside it', async () => {
    expect(
      await lintAs(fixture('sql-outside-db.ts'), 'main/node/db/repos/fixture-ok.ts', 'no-restricted-syntax'),
    ).toEqual([])
    const withDefault = `${fixture('sql-outside-db.ts')}\nexport default countProducts\n`
    expect(await lintAs(withDefault, 'main/node/db/repos/fixture-ok.ts', 'no-restricted-syntax')).toEqual([
      'Use named exports.',
    ])
    expect(
      await lintAs(withDefault, 'main/node/engine/fixture-violation.ts', 'no-restricted-syntax'),
    ).toContain('Use named exports.')
  })

  it('typecheck of main/core has no Node types: node:fs does not resolve there', () => {
    const host = ts.createCompilerHost({})
    const file = `${root}main/core/__fixture__.ts`
    // Only the Node import: the second import of the fixture would pull Node's types in through
    // better-sqlite3's own type references (lint catches that one).
    const source = fixture('core-imports-node.ts')
      .replace(/^import \{ openDatabase \}.*$/m, '')
      .replace(', openDatabase', '')
    const orig = host.getSourceFile
    host.getSourceFile = (name, lang, ...rest) =>
      name === file ? ts.createSourceFile(name, source, lang) : orig.call(host, name, lang, ...rest)
    const cfg = ts.getParsedCommandLineOfConfigFile(
      `${root}tsconfig.core.json`,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    )!
    const program = ts.createProgram({ rootNames: [file], options: cfg.options, host })
    const diags = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(diags.some((d) => /Cannot find module 'node:fs'/.test(d))).toBe(true)
  })

  it('a contract method without a handler is a compile error', () => {
    const file = `${root}test/fixtures/type-errors/missing-handler.ts`
    const cfg = ts.getParsedCommandLineOfConfigFile(
      `${root}tsconfig.node.json`,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    )!
    const program = ts.createProgram({ rootNames: [file], options: cfg.options })
    const diags = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(diags.join('\n')).toMatch(/Property 'getStatus' is missing/)
  }, 60_000)
})
