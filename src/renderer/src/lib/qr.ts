import QRCode from 'qrcode'

/** A QR code as a data: URL (allowed by the CSP's img-src), or undefined if the text does not fit. */
export async function qrDataUrl (text: string, dark = '#1d1a18', light = '#ffffff'): Promise<string | undefined> {
  try {
    return await QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, scale: 6, color: { dark, light } })
  } catch {
    return undefined
  }
}
