import type { DeviceModel } from '../model/device.js';
import { counter64Buffer, wrap32 } from '../model/traffic.js';
import type { OidIndex } from './oid-index.js';
import { snmp, type MibRequest, type SnmpMib } from './net-snmp.js';

/** OIDs the lab serves; docs/lab.md and simulator/README.md list them with units. */
export const OID = {
  sysDescr: '1.3.6.1.2.1.1.1',
  sysObjectID: '1.3.6.1.2.1.1.2',
  sysUpTime: '1.3.6.1.2.1.1.3',
  sysContact: '1.3.6.1.2.1.1.4',
  sysName: '1.3.6.1.2.1.1.5',
  sysLocation: '1.3.6.1.2.1.1.6',
  ifNumber: '1.3.6.1.2.1.2.1',
  ifEntry: '1.3.6.1.2.1.2.2.1',
  ifXEntry: '1.3.6.1.2.1.31.1.1.1',
  hrProcessorEntry: '1.3.6.1.2.1.25.3.3.1',
  entPhySensorEntry: '1.3.6.1.2.1.99.1.1.1',
  entPhysicalEntry: '1.3.6.1.2.1.47.1.1.1.1',
  mtxrOpticalEntry: '1.3.6.1.4.1.14988.1.1.19.1.1',
  mtxrWlApEntry: '1.3.6.1.4.1.14988.1.1.1.3.1',
  hwEntityOpticalEntry: '1.3.6.1.4.1.2011.5.25.31.1.1.3.1',
  hwGponOntOpticalDdmInfoEntry: '1.3.6.1.4.1.2011.6.128.1.1.2.51.1',
  zxAnPonRxOpticalPowerEntry: '1.3.6.1.4.1.3902.1082.500.1.2.4.2.1',
  unifiVapEntry: '1.3.6.1.4.1.41112.1.6.1.2.1',
} as const;

/** hrDeviceIndex of the simulated CPU (the value Linux agents use for the first processor). */
export const HR_CPU_INDEX = 196608;
/** entPhysicalIndex of the ENTITY-SENSOR rx / tx dBm sensors. */
export const ENT_SENSOR_RX = 1001;
export const ENT_SENSOR_TX = 1002;

type Getter = () => unknown;
type Col = { n: number; type: number; get: (idx: number[]) => unknown };

const T = snmp.ObjectType as Record<string, number>;
const RO = snmp.MaxAccess['read-only'];
const NA = snmp.MaxAccess['not-accessible'];

/**
 * Registers every object of the device in a net-snmp MIB and returns the getters of the dynamic
 * ones: the agent's handler overwrites the stored value with `getter()` on each request, so
 * counters and gauges are computed at read time instead of being refreshed on a timer. Every
 * readable object also goes into `index` (when given): the agent answers GET/GETNEXT/GETBULK from it.
 */
export function buildMib(mib: SnmpMib, model: DeviceModel, now: () => number, index?: OidIndex): Map<string, Getter> {
  const dyn = new Map<string, Getter>();
  const handler = (req: MibRequest) => {
    const g = dyn.get(req.oid);
    if (g) req.instanceNode.value = g();
    req.done();
  };
  const d = model.device;
  const p = model.profile;

  const scalar = (name: string, oid: string, type: number, value: unknown, get?: Getter) => {
    mib.registerProvider({ name, type: snmp.MibProviderType['Scalar'], oid, scalarType: type, maxAccess: RO, handler });
    mib.setScalarValue(name, get ? get() : value);
    if (get) dyn.set(`${oid}.0`, get);
    index?.add(`${oid}.0`, type, get ?? (() => value));
  };
  /** A table; `index` gives each row's index parts; the first `indexParts` columns are pseudo (not accessible). */
  const table = (name: string, oid: string, indexParts: number, rows: number[][], cols: Col[], indexIsCol1 = false) => {
    const idxCols = indexIsCol1
      ? []
      : Array.from({ length: indexParts }, (_, i) => ({
          number: 200 + i,
          name: `${name}Idx${i}`,
          type: T['Integer']!,
          maxAccess: NA,
        }));
    mib.registerProvider({
      name,
      type: snmp.MibProviderType['Table'],
      oid,
      maxAccess: NA,
      handler,
      tableColumns: [
        ...idxCols,
        ...cols.map((c) => ({ number: c.n, name: `${name}C${c.n}`, type: c.type, maxAccess: RO })),
      ],
      tableIndex: indexIsCol1 ? [{ columnNumber: 1 }] : idxCols.map((c) => ({ columnNumber: c.number })),
    });
    for (const idx of rows) {
      // net-snmp validates stored Counter64 cells as 8-byte buffers; the handler serves the real value.
      mib.addTableRow(name, [
        ...(indexIsCol1 ? [] : idx),
        ...cols.map((c) => (c.type === T['Counter64'] ? Buffer.alloc(8) : c.get(idx))),
      ]);
      for (const c of cols) {
        dyn.set(`${oid}.${c.n}.${idx.join('.')}`, () => c.get(idx));
        index?.add(`${oid}.${c.n}.${idx.join('.')}`, c.type, () => c.get(idx));
      }
    }
  };

  scalar('sysDescr', OID.sysDescr, T['OctetString']!, p.sysDescr);
  scalar('sysObjectID', OID.sysObjectID, T['OID']!, p.sysObjectID);
  scalar('sysUpTime', OID.sysUpTime, T['TimeTicks']!, 0, () => model.uptimeTicks(now()));
  scalar('sysContact', OID.sysContact, T['OctetString']!, 'NOC Diskominfo OKU <noc@okukab.go.id>');
  scalar('sysName', OID.sysName, T['OctetString']!, d.id);
  scalar('sysLocation', OID.sysLocation, T['OctetString']!, `${d.name}, Kec. ${d.kecamatan} (${d.lat},${d.lon})`);
  scalar('ifNumber', OID.ifNumber, T['Integer']!, p.interfaces.length);

  const ifRows = p.interfaces.map((i) => [i.ifIndex]);
  const itf = (idx: number[]) => p.interfaces.find((i) => i.ifIndex === idx[0])!;
  const oct = (idx: number[]) => model.octets(idx[0]!, now())!;
  const err = (idx: number[]) => model.errors(idx[0]!, now());
  table(
    'ifTable',
    OID.ifEntry,
    1,
    ifRows,
    [
      { n: 1, type: T['Integer']!, get: (i) => i[0] },
      { n: 2, type: T['OctetString']!, get: (i) => itf(i).descr },
      { n: 3, type: T['Integer']!, get: (i) => itf(i).type },
      { n: 4, type: T['Integer']!, get: () => 1500 },
      { n: 5, type: T['Gauge']!, get: (i) => Math.min(4294967295, itf(i).speedMbps * 1e6) },
      { n: 7, type: T['Integer']!, get: () => 1 },
      { n: 8, type: T['Integer']!, get: (i) => (model.operUp(i[0]!) ? 1 : 2) },
      { n: 9, type: T['TimeTicks']!, get: (i) => model.lastChangeTicks(i[0]!) },
      { n: 10, type: T['Counter']!, get: (i) => wrap32(oct(i).in) },
      { n: 13, type: T['Counter']!, get: (i) => err(i).inDiscards },
      { n: 14, type: T['Counter']!, get: (i) => err(i).inErrors },
      { n: 16, type: T['Counter']!, get: (i) => wrap32(oct(i).out) },
      { n: 19, type: T['Counter']!, get: (i) => err(i).outDiscards },
      { n: 20, type: T['Counter']!, get: (i) => err(i).outErrors },
    ],
    true,
  );
  table('ifXTable', OID.ifXEntry, 1, ifRows, [
    { n: 1, type: T['OctetString']!, get: (i) => itf(i).name },
    { n: 6, type: T['Counter64']!, get: (i) => counter64Buffer(oct(i).in) },
    { n: 10, type: T['Counter64']!, get: (i) => counter64Buffer(oct(i).out) },
    { n: 15, type: T['Gauge']!, get: (i) => itf(i).speedMbps },
    { n: 18, type: T['OctetString']!, get: (i) => itf(i).alias },
  ]);
  table(
    'hrProcessorTable',
    OID.hrProcessorEntry,
    1,
    [[HR_CPU_INDEX]],
    [
      { n: 1, type: T['OID']!, get: () => '0.0' },
      { n: 2, type: T['Integer']!, get: () => model.cpuLoad(now()) },
    ],
  );

  const optic = () => model.optical(now()) ?? { rxDbm: 0, txDbm: 0 };
  if (p.optical) {
    const up = p.optical.ifIndex;
    // ENTITY-SENSOR: type dBm (14), scale units (9), precision 2 → value in hundredths of dBm.
    table(
      'entPhySensorTable',
      OID.entPhySensorEntry,
      1,
      [[ENT_SENSOR_RX], [ENT_SENSOR_TX]],
      [
        { n: 1, type: T['Integer']!, get: () => 14 },
        { n: 2, type: T['Integer']!, get: () => 9 },
        { n: 3, type: T['Integer']!, get: () => 2 },
        {
          n: 4,
          type: T['Integer']!,
          get: (i) => Math.round((i[0] === ENT_SENSOR_RX ? optic().rxDbm : optic().txDbm) * 100),
        },
        { n: 5, type: T['Integer']!, get: () => 1 },
      ],
    );
    // ENTITY-MIB names the uplink port and its two sensors the way transceivers do ("SFP1 Rx Power"):
    // the sensor names are the only thing that tells a manager which dBm row is receive and which
    // transmit; the port entity (index = ifIndex, as hwEntityOpticalTable is indexed) names the port.
    const sfp = `SFP${up}`;
    const rx = (i: number[]) => i[0] === ENT_SENSOR_RX;
    const isPort = (i: number[]) => i[0] === up;
    table(
      'entPhysicalTable',
      OID.entPhysicalEntry,
      1,
      [[up], [ENT_SENSOR_RX], [ENT_SENSOR_TX]],
      [
        {
          n: 2,
          type: T['OctetString']!,
          get: (i) =>
            isPort(i)
              ? `${p.interfaces[0]!.descr} (${sfp})`
              : `${sfp} transceiver ${rx(i) ? 'receive' : 'transmit'} optical power sensor (dBm)`,
        },
        // entPhysicalClass port(10) / sensor(8)
        { n: 5, type: T['Integer']!, get: (i) => (isPort(i) ? 10 : 8) },
        {
          n: 7,
          type: T['OctetString']!,
          get: (i) => (isPort(i) ? p.interfaces[0]!.name : `${sfp} ${rx(i) ? 'Rx' : 'Tx'} Power`),
        },
      ],
    );
    if (d.vendor === 'mikrotik') {
      table(
        'mtxrOpticalTable',
        OID.mtxrOpticalEntry,
        1,
        [[up]],
        [
          { n: 2, type: T['OctetString']!, get: () => p.interfaces[0]!.name },
          { n: 3, type: T['Integer']!, get: () => (optic().rxDbm < -30 ? 1 : 0) },
          { n: 4, type: T['Integer']!, get: () => 0 },
          { n: 6, type: T['Integer']!, get: () => 41 },
          { n: 7, type: T['Integer']!, get: () => 3300 },
          { n: 8, type: T['Integer']!, get: () => 12_000 },
          { n: 9, type: T['Integer']!, get: () => Math.round(optic().txDbm * 1000) },
          { n: 10, type: T['Integer']!, get: () => Math.round(optic().rxDbm * 1000) },
        ],
      );
    }
    if (d.vendor === 'huawei') {
      // Units: hundredths of dBm (the firmware variant the lab imitates).
      table(
        'hwEntityOpticalTable',
        OID.hwEntityOpticalEntry,
        1,
        [[up]],
        [
          { n: 5, type: T['Integer']!, get: () => 41 },
          { n: 8, type: T['Integer']!, get: () => Math.round(optic().rxDbm * 100) },
          { n: 9, type: T['Integer']!, get: () => Math.round(optic().txDbm * 100) },
        ],
      );
      if (d.role === 'ont') {
        table(
          'hwGponOntOpticalDdmInfoTable',
          OID.hwGponOntOpticalDdmInfoEntry,
          2,
          [[up, 0]],
          [
            { n: 1, type: T['Integer']!, get: () => 45 },
            { n: 3, type: T['Integer']!, get: () => Math.round(optic().txDbm * 100) },
            { n: 4, type: T['Integer']!, get: () => Math.round(optic().rxDbm * 100) },
            { n: 5, type: T['Integer']!, get: () => 3300 },
            // OLT-side rx of this ONT: (raw − 10000) / 100 dBm, about 1.5 dB below the ONT's rx.
            { n: 6, type: T['Integer']!, get: () => Math.round((optic().rxDbm - 1.5) * 100) + 10_000 },
          ],
        );
      }
    }
    if (d.vendor === 'zte') {
      table(
        'zxAnPonRxOpticalPowerTable',
        OID.zxAnPonRxOpticalPowerEntry,
        1,
        [[up]],
        [{ n: 2, type: T['Integer']!, get: () => Math.round(optic().rxDbm * 1000) }],
      );
    }
  }
  const w = p.wifi;
  if (w) {
    const clients = () => model.wifiClients(now()) ?? 0;
    // The total is split over the radios; the first radio takes the remainder so the sum is exact.
    const share = (idx: number[]) => {
      const pos = w.radios.indexOf(idx[0]!);
      const each = Math.floor(clients() / w.radios.length);
      return pos === 0 ? clients() - each * (w.radios.length - 1) : each;
    };
    if (d.vendor === 'ubiquiti') {
      const vapRows = w.radios.map((_, i) => [i + 1]);
      table('unifiVapTable', OID.unifiVapEntry, 1, vapRows, [
        { n: 6, type: T['OctetString']!, get: () => 'OKU-Free-WiFi' },
        { n: 8, type: T['Gauge']!, get: (i) => share([w.radios[i[0]! - 1]!]) },
      ]);
    } else {
      table(
        'mtxrWlApTable',
        OID.mtxrWlApEntry,
        1,
        w.radios.map((r) => [r]),
        [
          { n: 4, type: T['OctetString']!, get: () => 'OKU-Internet-Desa' },
          { n: 6, type: T['Counter']!, get: (i) => share(i) },
        ],
      );
    }
  }
  return dyn;
}
