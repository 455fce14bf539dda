// Secrets planted by the redaction tests, in the shapes each marketplace really issues them.
export const PLANTED = {
  amazonRefreshToken: 'Atzr|IwEBIPlantedRefreshTokenQ7xk2LmN9pRsT4vWyZ0aB3cD',
  amazonAccessToken: 'Atza|IwEBIPlantedAccessTokenZ9y8x7w6v5u4t3s2r1q',
  bolClientSecret: 'bOl-PlAnTeD-cLiEnT-sEcReT-4f7Kq9Zx',
  kauflandSignature: 'b4f1c8e0d3a2974655e1f0c9a8b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9',
  odooApiKey: '7d3e9a1b5c2f8e4d6a0b9c7e5f3a1d8b2c4e6f09',
  bearer: 'pLaNtEdBeArErToKeN.Zk3J9qW7xR2mV5nB8cT1',
  urlPassword: 'hunter2PlantedPw',
} as const

export const ALL_PLANTED: readonly string[] = Object.values(PLANTED)

/** The planted secrets found in a text (empty when none leaked). */
export const leaks = (text: string): string[] => ALL_PLANTED.filter((s) => text.includes(s))
