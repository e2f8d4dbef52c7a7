import QRCode from 'qrcode';

/**
 * The otpauth:// URI as a QR code made of text, two modules per character row.
 * With colour the 'terminal' renderer paints with ANSI backgrounds (crisp on dark themes);
 * without it the plain 'utf8' renderer uses block characters only.
 */
export async function renderQr(text: string, color: boolean): Promise<string> {
  return color
    ? QRCode.toString(text, { type: 'terminal', small: true, errorCorrectionLevel: 'M' })
    : QRCode.toString(text, { type: 'utf8', errorCorrectionLevel: 'M', margin: 2 });
}
