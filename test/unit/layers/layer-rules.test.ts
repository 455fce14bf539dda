import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import ts from 'typescript'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const fixture = (name: string) => readFileSync(`${root}test/fixtures/layer-violations/${name}`, 'utf8')

async function lintAs(code: string, filePath: string, rule = 'no-restricted-imports') {
  const eslint = new ESLint({ cwd: root })
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` })
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message)
}

describe('layer rules', () => {
  it('lint refuses Node and node-layer imports in main/core', async () => {
    const errors = await lintAs(fixture('core-imports-node.ts'), 'main/core/fixture-violation.ts')
    expect(errors).toHaveLength(2)
    expect(errors[0]).toMatch(/node:fs.*main\/core is pure/)
    expect(errors[1]).toMatch(/\.\.\/node\/db\/database.*main\/core imports only main\/core and shared/)
  })

  it('lint refuses electron in main/node', async () => {
    const errors = await lintAs(fixture('node-imports-electron.ts'), 'main/node/fixture-violation.ts')
    expect(errors).toEqual([
      expect.stringMatching(/electron.*Only main\/electron and preload may import electron/),
    ])
  })

  it('lint refuses main and Node imports in the renderer', async () => {
    const errors = await lintAs(fixture('renderer-imports-main.ts'), 'renderer/src/fixture-violation.ts')
    expect(errors).toHaveLength(2)
  })

  it('lint refuses anything but zod in shared', async () => {
    const errors = await lintAs(fixture('shared-imports-core.ts'), 'shared/fixture-violation.ts')
    expect(errors).toEqual([expect.stringMatching(/shared\/ imports only its schema library/)])
  })

  it('lint refuses anything but electron and the contract names in the preload', async () => {
    const errors = await lintAs(fixture('preload-imports-node.ts'), 'preload/fixture-violation.ts')
    expect(errors).toHaveLength(2)
  })

  it('lint refuses SQL outside main/node/db: prepare, pragma, exec on a database', async () => {
    const sql = fixture('sql-outside-db.ts')
    for (const where of [
      'main/node/engine/fixture-violation.ts',
      'main/sandbox/fixture-violation.ts',
      'main/cli.ts',
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

  it('the same fixture is clean where the import is allowed', async () => {
    expect(await lintAs(fixture('node-imports-electron.ts'), 'main/electron/fixture-ok.ts')).toEqual([])
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
