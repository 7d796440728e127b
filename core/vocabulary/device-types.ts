/**
 * The device types and roles, and every word said about a type, in one place (issue 17). Free of
 * zod and of Node so the NOC page imports it too. A new type is one entry in DEVICE_TYPES and one in
 * DEVICE_TYPE_TEXT; the inventory schema, the config sections, the CLI, the alert messages, the
 * reports and the page all read them from here.
 */
/** `service`: a public application (ADR 0701), parented to the device that hosts it; its checks decide its state. */
export const DEVICE_TYPES = ['fiber', 'cctv', 'wifi', 'village', 'service'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export const DEVICE_ROLES = ['core', 'distribution', 'access', 'ont', 'camera', 'ap', 'application'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];

type Words = { id: string; en: string };

export interface DeviceTypeText {
  /** The page's filter chips and type tiles. */
  page: Words;
  /** The history page's type filter (/riwayat). */
  historyPage: Words;
  /** After a count in an alert message: "3 CCTV, 4 Wi-Fi". */
  count: Words;
  /** The availability report's per-type table. */
  report: Words;
  /** The wall screen's type tile. */
  icon: string;
  /** A CSV import row without a role gets this one. */
  defaultRole: DeviceRole;
}

export const DEVICE_TYPE_TEXT: Readonly<Record<DeviceType, DeviceTypeText>> = {
  fiber: {
    page: { id: 'Fiber', en: 'Fiber' },
    historyPage: { id: 'Fiber', en: 'Fiber' },
    count: { id: 'fiber', en: 'fiber' },
    report: { id: 'Titik fiber optik', en: 'Fiber-optic points' },
    icon: '◉',
    defaultRole: 'access',
  },
  cctv: {
    page: { id: 'CCTV', en: 'CCTV' },
    historyPage: { id: 'CCTV', en: 'CCTV' },
    count: { id: 'CCTV', en: 'CCTV' },
    report: { id: 'Kamera CCTV', en: 'CCTV cameras' },
    icon: '◎',
    defaultRole: 'camera',
  },
  wifi: {
    page: { id: 'Wi-Fi publik', en: 'Public Wi-Fi' },
    historyPage: { id: 'Wi-Fi publik', en: 'Public Wi-Fi' },
    count: { id: 'Wi-Fi', en: 'Wi-Fi' },
    report: { id: 'Wi-Fi publik', en: 'Public Wi-Fi' },
    icon: '◈',
    defaultRole: 'ap',
  },
  village: {
    page: { id: 'Internet desa', en: 'Village internet' },
    historyPage: { id: 'Internet desa', en: 'Internet Desa' },
    count: { id: 'Internet Desa', en: 'village internet' },
    report: { id: 'Internet desa', en: 'Internet Desa' },
    icon: '⌂',
    defaultRole: 'ap',
  },
  service: {
    page: { id: 'Layanan publik', en: 'Public services' },
    historyPage: { id: 'Layanan publik', en: 'Public services' },
    count: { id: 'layanan', en: 'services' },
    report: { id: 'Layanan publik (aplikasi)', en: 'Public services (applications)' },
    icon: '▣',
    defaultRole: 'application',
  },
};

export const isDeviceType = (s: string): s is DeviceType => (DEVICE_TYPES as readonly string[]).includes(s);

/** `{ fiber: words.fiber.page.id, … }`: one wording of every type, for a dictionary. */
export function deviceTypeWords(pick: (t: DeviceTypeText) => Words, lang: 'id' | 'en'): Record<DeviceType, string> {
  return Object.fromEntries(DEVICE_TYPES.map((t) => [t, pick(DEVICE_TYPE_TEXT[t])[lang]])) as Record<
    DeviceType,
    string
  >;
}
