/**
 * Building blocks of synthetic estates: operating systems as each source names them, software with
 * its processes and ports, per-tier sizing and utilisation profiles, and the shared services most
 * servers talk to. Data only; `estate.ts` and the example estate compose them.
 */
import type {OsFamily, SoftwareCategory} from '../model/server.js'
import type {SynthTier} from './types.js'

// ---------------------------------------------------------------------------------------------
// Operating systems

export type OsId =
  | 'win2008r2'
  | 'win2012'
  | 'win2012r2'
  | 'win2016'
  | 'win2019'
  | 'win2022'
  | 'rhel7'
  | 'rhel8'
  | 'rhel9'
  | 'centos6'
  | 'centos7'
  | 'ubuntu1804'
  | 'ubuntu2004'
  | 'ubuntu2204'
  | 'sles12'
  | 'sles15'

export interface OsSpec {
  readonly id: OsId
  readonly family: OsFamily
  /** RVTools "OS according to the configuration file" (the VM's guest id). */
  readonly configName: string
  /** RVTools "OS according to the VMware Tools" (the running guest's full name). */
  readonly toolsName: string
  /** What the agent reports: Node's platform, the product/distribution name and version, kernel. */
  readonly platform: 'linux' | 'win32'
  readonly name: string
  readonly version: string
  readonly kernel: string
  /** RVTools 4.x "Guest Detailed Data" (open-vm-tools / VMware Tools guest info), empty for Windows. */
  readonly detailed: string
  /** End of standard vendor support, YYYY-MM (for reading the example, not used in logic). */
  readonly endOfSupport: string
}

const linuxDetailed = (distro: string, version: string, kernel: string, pretty: string): string =>
  `architecture='X86' bitness='64' distroName='${distro}' distroVersion='${version}' familyName='Linux' kernelVersion='${kernel}' prettyName='${pretty}'`

export const OS_CATALOG: Readonly<Record<OsId, OsSpec>> = {
  win2008r2: {
    id: 'win2008r2',
    family: 'windows',
    configName: 'Microsoft Windows Server 2008 R2 (64-bit)',
    toolsName: 'Microsoft Windows Server 2008 R2 (64-bit)',
    platform: 'win32',
    name: 'Microsoft Windows Server 2008 R2 Standard',
    version: '6.1.7601',
    kernel: '6.1.7601',
    detailed: '',
    endOfSupport: '2020-01',
  },
  win2012: {
    id: 'win2012',
    family: 'windows',
    configName: 'Microsoft Windows Server 2012 (64-bit)',
    toolsName: 'Microsoft Windows Server 2012 (64-bit)',
    platform: 'win32',
    name: 'Microsoft Windows Server 2012 Standard',
    version: '6.2.9200',
    kernel: '6.2.9200',
    detailed: '',
    endOfSupport: '2023-10',
  },
  win2012r2: {
    id: 'win2012r2',
    family: 'windows',
    configName: 'Microsoft Windows Server 2012 (64-bit)',
    toolsName: 'Microsoft Windows Server 2012 R2 (64-bit)',
    platform: 'win32',
    name: 'Microsoft Windows Server 2012 R2 Standard',
    version: '6.3.9600',
    kernel: '6.3.9600',
    detailed: '',
    endOfSupport: '2023-10',
  },
  win2016: {
    id: 'win2016',
    family: 'windows',
    configName: 'Microsoft Windows Server 2016 or later (64-bit)',
    toolsName: 'Microsoft Windows Server 2016 (64-bit)',
    platform: 'win32',
    name: 'Microsoft Windows Server 2016 Standard',
    version: '10.0.14393',
    kernel: '10.0.14393',
    detailed: '',
    endOfSupport: '2027-01',
  },
  win2019: {
    id: 'win2019',
    family: 'windows',
    configName: 'Microsoft Windows Server 2016 or later (64-bit)',
    toolsName: 'Microsoft Windows Server 2019 (64-bit)',
    platform: 'win32',
    name: 'Microsoft Windows Server 2019 Standard',
    version: '10.0.17763',
    kernel: '10.0.17763',
    detailed: '',
    endOfSupport: '2029-01',
  },
  win2022: {
    id: 'win2022',
    family: 'windows',
    configName: 'Microsoft Windows Server 2022 (64-bit)',
    toolsName: 'Microsoft Windows Server 2022 (64-bit)',
    platform: 'win32',
    name: 'Microsoft Windows Server 2022 Datacenter',
    version: '10.0.20348',
    kernel: '10.0.20348',
    detailed: '',
    endOfSupport: '2031-10',
  },
  rhel7: {
    id: 'rhel7',
    family: 'linux',
    configName: 'Red Hat Enterprise Linux 7 (64-bit)',
    toolsName: 'Red Hat Enterprise Linux 7 (64-bit)',
    platform: 'linux',
    name: 'Red Hat Enterprise Linux Server',
    version: '7.9',
    kernel: '3.10.0-1160.108.1.el7.x86_64',
    detailed: linuxDetailed(
      'Red Hat Enterprise Linux Server',
      '7.9',
      '3.10.0-1160.108.1.el7.x86_64',
      'Red Hat Enterprise Linux Server 7.9 (Maipo)',
    ),
    endOfSupport: '2024-06',
  },
  rhel8: {
    id: 'rhel8',
    family: 'linux',
    configName: 'Red Hat Enterprise Linux 8 (64-bit)',
    toolsName: 'Red Hat Enterprise Linux 8 (64-bit)',
    platform: 'linux',
    name: 'Red Hat Enterprise Linux',
    version: '8.9',
    kernel: '4.18.0-513.11.1.el8_9.x86_64',
    detailed: linuxDetailed('Red Hat Enterprise Linux', '8.9', '4.18.0-513.11.1.el8_9.x86_64', 'Red Hat Enterprise Linux 8.9 (Ootpa)'),
    endOfSupport: '2029-05',
  },
  rhel9: {
    id: 'rhel9',
    family: 'linux',
    configName: 'Red Hat Enterprise Linux 9 (64-bit)',
    toolsName: 'Red Hat Enterprise Linux 9 (64-bit)',
    platform: 'linux',
    name: 'Red Hat Enterprise Linux',
    version: '9.3',
    kernel: '5.14.0-362.18.1.el9_3.x86_64',
    detailed: linuxDetailed('Red Hat Enterprise Linux', '9.3', '5.14.0-362.18.1.el9_3.x86_64', 'Red Hat Enterprise Linux 9.3 (Plow)'),
    endOfSupport: '2032-05',
  },
  centos6: {
    id: 'centos6',
    family: 'linux',
    configName: 'CentOS 6 (64-bit)',
    toolsName: 'CentOS 6 (64-bit)',
    platform: 'linux',
    name: 'CentOS',
    version: '6.10',
    kernel: '2.6.32-754.35.1.el6.x86_64',
    detailed: linuxDetailed('CentOS', '6.10', '2.6.32-754.35.1.el6.x86_64', 'CentOS release 6.10 (Final)'),
    endOfSupport: '2020-11',
  },
  centos7: {
    id: 'centos7',
    family: 'linux',
    configName: 'CentOS 7 (64-bit)',
    toolsName: 'CentOS 7 (64-bit)',
    platform: 'linux',
    name: 'CentOS Linux',
    version: '7.9.2009',
    kernel: '3.10.0-1160.el7.x86_64',
    detailed: linuxDetailed('CentOS Linux', '7.9.2009', '3.10.0-1160.el7.x86_64', 'CentOS Linux 7 (Core)'),
    endOfSupport: '2024-06',
  },
  ubuntu1804: {
    id: 'ubuntu1804',
    family: 'linux',
    configName: 'Ubuntu Linux (64-bit)',
    toolsName: 'Ubuntu Linux (64-bit)',
    platform: 'linux',
    name: 'Ubuntu',
    version: '18.04',
    kernel: '4.15.0-213-generic',
    detailed: linuxDetailed('Ubuntu', '18.04', '4.15.0-213-generic', 'Ubuntu 18.04.6 LTS'),
    endOfSupport: '2023-05',
  },
  ubuntu2004: {
    id: 'ubuntu2004',
    family: 'linux',
    configName: 'Ubuntu Linux (64-bit)',
    toolsName: 'Ubuntu Linux (64-bit)',
    platform: 'linux',
    name: 'Ubuntu',
    version: '20.04',
    kernel: '5.4.0-170-generic',
    detailed: linuxDetailed('Ubuntu', '20.04', '5.4.0-170-generic', 'Ubuntu 20.04.6 LTS'),
    endOfSupport: '2025-05',
  },
  ubuntu2204: {
    id: 'ubuntu2204',
    family: 'linux',
    configName: 'Ubuntu Linux (64-bit)',
    toolsName: 'Ubuntu Linux (64-bit)',
    platform: 'linux',
    name: 'Ubuntu',
    version: '22.04',
    kernel: '5.15.0-91-generic',
    detailed: linuxDetailed('Ubuntu', '22.04', '5.15.0-91-generic', 'Ubuntu 22.04.3 LTS'),
    endOfSupport: '2027-06',
  },
  sles12: {
    id: 'sles12',
    family: 'linux',
    configName: 'SUSE Linux Enterprise 12 (64-bit)',
    toolsName: 'SUSE Linux Enterprise 12 (64-bit)',
    platform: 'linux',
    name: 'SUSE Linux Enterprise Server',
    version: '12 SP5',
    kernel: '4.12.14-122.189-default',
    detailed: linuxDetailed('SUSE Linux Enterprise Server', '12 SP5', '4.12.14-122.189-default', 'SUSE Linux Enterprise Server 12 SP5'),
    endOfSupport: '2024-10',
  },
  sles15: {
    id: 'sles15',
    family: 'linux',
    configName: 'SUSE Linux Enterprise 15 (64-bit)',
    toolsName: 'SUSE Linux Enterprise 15 (64-bit)',
    platform: 'linux',
    name: 'SUSE Linux Enterprise Server',
    version: '15 SP5',
    kernel: '5.14.21-150500.55.39-default',
    detailed: linuxDetailed(
      'SUSE Linux Enterprise Server',
      '15 SP5',
      '5.14.21-150500.55.39-default',
      'SUSE Linux Enterprise Server 15 SP5',
    ),
    endOfSupport: '2031-07',
  },
}

/** OS mix of a typical estate, by family (relative weights). */
export const OS_MIX: Readonly<Record<'windows' | 'linux', readonly (readonly [OsId, number])[]>> = {
  windows: [
    ['win2012r2', 18],
    ['win2016', 30],
    ['win2019', 34],
    ['win2022', 15],
    ['win2008r2', 2],
    ['win2012', 1],
  ],
  linux: [
    ['rhel7', 16],
    ['rhel8', 22],
    ['rhel9', 8],
    ['centos7', 14],
    ['centos6', 3],
    ['ubuntu1804', 6],
    ['ubuntu2004', 12],
    ['ubuntu2204', 10],
    ['sles12', 4],
    ['sles15', 5],
  ],
}

// ---------------------------------------------------------------------------------------------
// Software

export interface SoftwareListen {
  readonly protocol: 'tcp' | 'udp'
  readonly port: number
}

export interface SoftwareSpec {
  /** Canonical id, as DetectedSoftware.name. */
  readonly id: string
  readonly category: SoftwareCategory
  readonly version: string
  readonly edition?: string
  /** Process that owns the listeners, per OS family. */
  readonly process: {readonly linux: string; readonly windows: string}
  readonly user: {readonly linux: string; readonly windows: string}
  /** Command line as a collector would report it, secrets already redacted. */
  readonly command: {readonly linux: string; readonly windows: string}
  readonly listens: readonly SoftwareListen[]
}

const tcp = (...ports: number[]): SoftwareListen[] => ports.map((port) => ({protocol: 'tcp' as const, port}))
const udp = (...ports: number[]): SoftwareListen[] => ports.map((port) => ({protocol: 'udp' as const, port}))
const same = (s: string): {linux: string; windows: string} => ({linux: s, windows: s})

export const SOFTWARE: Readonly<Record<string, SoftwareSpec>> = {
  nginx: {
    id: 'nginx',
    category: 'web-server',
    version: '1.20.1',
    process: same('nginx'),
    user: same('nginx'),
    command: same('nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf'),
    listens: tcp(80, 443),
  },
  'apache-httpd': {
    id: 'apache-httpd',
    category: 'web-server',
    version: '2.4.57',
    process: {linux: 'httpd', windows: 'httpd.exe'},
    user: {linux: 'apache', windows: 'SYSTEM'},
    command: {linux: '/usr/sbin/httpd -DFOREGROUND', windows: 'C:\\Apache24\\bin\\httpd.exe -k runservice'},
    listens: tcp(80, 443),
  },
  iis: {
    id: 'iis',
    category: 'web-server',
    version: '10.0',
    process: same('w3wp.exe'),
    user: same('IIS APPPOOL\\DefaultAppPool'),
    command: same('c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool" -v "v4.0" -l "webengine4.dll"'),
    listens: tcp(80, 443),
  },
  tomcat: {
    id: 'tomcat',
    category: 'app-server',
    version: '9.0.85',
    process: {linux: 'java', windows: 'tomcat9.exe'},
    user: {linux: 'tomcat', windows: 'NT AUTHORITY\\NetworkService'},
    command: {
      linux:
        '/usr/lib/jvm/jre-11/bin/java -Xms2g -Xmx4g -Dcatalina.base=/opt/tomcat -Dspring.datasource.password=[REDACTED] org.apache.catalina.startup.Bootstrap start',
      windows: 'C:\\Tomcat9\\bin\\tomcat9.exe //RS//Tomcat9',
    },
    listens: tcp(8080, 8443),
  },
  weblogic: {
    id: 'weblogic',
    category: 'app-server',
    version: '12.2.1.4',
    process: same('java'),
    user: same('oracle'),
    command: same(
      '/u01/jdk/bin/java -server -Xms4g -Xmx8g -Dweblogic.Name=AdminServer -Dweblogic.management.password=[REDACTED] weblogic.Server',
    ),
    listens: tcp(7001, 7002),
  },
  nodejs: {
    id: 'nodejs',
    category: 'runtime',
    version: '18.19.0',
    process: {linux: 'node', windows: 'node.exe'},
    user: {linux: 'app', windows: 'svc-node'},
    command: {linux: 'node /srv/app/dist/server.js --port 3000', windows: 'node.exe C:\\apps\\server.js --port 3000'},
    listens: tcp(3000),
  },
  dotnet: {
    id: 'dotnet',
    category: 'runtime',
    version: '6.0.26',
    process: {linux: 'dotnet', windows: 'dotnet.exe'},
    user: {linux: 'app', windows: 'svc-app'},
    command: {
      linux: 'dotnet /srv/app/Api.dll --urls https://0.0.0.0:5001',
      windows: 'dotnet.exe C:\\apps\\Api.dll --urls https://0.0.0.0:5001',
    },
    listens: tcp(5001),
  },
  postgresql: {
    id: 'postgresql',
    category: 'database',
    version: '13.13',
    process: {linux: 'postgres', windows: 'postgres.exe'},
    user: {linux: 'postgres', windows: 'NT AUTHORITY\\NetworkService'},
    command: {
      linux: '/usr/pgsql-13/bin/postmaster -D /var/lib/pgsql/13/data/',
      windows: 'C:\\PostgreSQL\\13\\bin\\postgres.exe -D C:\\PostgreSQL\\13\\data',
    },
    listens: tcp(5432),
  },
  mysql: {
    id: 'mysql',
    category: 'database',
    version: '8.0.36',
    process: {linux: 'mysqld', windows: 'mysqld.exe'},
    user: {linux: 'mysql', windows: 'NT AUTHORITY\\NetworkService'},
    command: {
      linux: '/usr/sbin/mysqld --basedir=/usr --datadir=/var/lib/mysql',
      windows: 'C:\\MySQL\\bin\\mysqld.exe --defaults-file=C:\\MySQL\\my.ini MySQL80',
    },
    listens: tcp(3306),
  },
  'sql-server': {
    id: 'sql-server',
    category: 'database',
    version: '15.0.4345.5',
    edition: 'Standard',
    process: {linux: 'sqlservr', windows: 'sqlservr.exe'},
    user: {linux: 'mssql', windows: 'NT Service\\MSSQLSERVER'},
    command: {
      linux: '/opt/mssql/bin/sqlservr',
      windows: '"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER',
    },
    listens: tcp(1433),
  },
  oracle: {
    id: 'oracle',
    category: 'database',
    version: '19.21.0.0',
    edition: 'Enterprise',
    process: {linux: 'tnslsnr', windows: 'TNSLSNR.EXE'},
    user: {linux: 'oracle', windows: 'SYSTEM'},
    command: {linux: '/u01/app/oracle/product/19.0.0/dbhome_1/bin/tnslsnr LISTENER -inherit', windows: 'TNSLSNR.EXE LISTENER'},
    listens: tcp(1521),
  },
  mongodb: {
    id: 'mongodb',
    category: 'database',
    version: '6.0.13',
    process: {linux: 'mongod', windows: 'mongod.exe'},
    user: {linux: 'mongod', windows: 'NT AUTHORITY\\NetworkService'},
    command: {linux: '/usr/bin/mongod -f /etc/mongod.conf', windows: 'mongod.exe --config C:\\mongodb\\mongod.cfg --service'},
    listens: tcp(27017),
  },
  redis: {
    id: 'redis',
    category: 'cache',
    version: '6.2.14',
    process: {linux: 'redis-server', windows: 'redis-server.exe'},
    user: {linux: 'redis', windows: 'NT AUTHORITY\\NetworkService'},
    command: {
      linux: '/usr/bin/redis-server 0.0.0.0:6379 --requirepass [REDACTED]',
      windows: 'redis-server.exe --service-run redis.windows.conf',
    },
    listens: tcp(6379),
  },
  memcached: {
    id: 'memcached',
    category: 'cache',
    version: '1.6.22',
    process: same('memcached'),
    user: same('memcached'),
    command: same('/usr/bin/memcached -p 11211 -u memcached -m 4096 -c 1024'),
    listens: tcp(11211),
  },
  rabbitmq: {
    id: 'rabbitmq',
    category: 'message-broker',
    version: '3.12.12',
    process: {linux: 'beam.smp', windows: 'erl.exe'},
    user: {linux: 'rabbitmq', windows: 'SYSTEM'},
    command: {
      linux: '/usr/lib64/erlang/erts-13.2/bin/beam.smp -- -root /usr/lib64/erlang -progname erl -- -home /var/lib/rabbitmq',
      windows: 'erl.exe -service_event ErlSrv_RabbitMQ',
    },
    listens: tcp(5672, 15672),
  },
  activemq: {
    id: 'activemq',
    category: 'message-broker',
    version: '5.18.3',
    process: {linux: 'java', windows: 'java.exe'},
    user: {linux: 'activemq', windows: 'SYSTEM'},
    command: {
      linux: '/usr/bin/java -Xmx2g -Dactivemq.home=/opt/activemq -jar /opt/activemq/bin/activemq.jar start',
      windows: 'java.exe -Dactivemq.home=C:\\activemq -jar activemq.jar start',
    },
    listens: tcp(61616, 8161),
  },
  kafka: {
    id: 'kafka',
    category: 'message-broker',
    version: '3.6.1',
    process: same('java'),
    user: same('kafka'),
    command: same('/usr/bin/java -Xmx6g -Xms6g -server -Dkafka.logs.dir=/var/log/kafka kafka.Kafka /etc/kafka/server.properties'),
    listens: tcp(9092),
  },
  'windows-file-server': {
    id: 'windows-file-server',
    category: 'file-service',
    version: '3.1.1',
    process: same('System'),
    user: same('SYSTEM'),
    command: same('System'),
    listens: tcp(445),
  },
  'nfs-server': {
    id: 'nfs-server',
    category: 'file-service',
    version: '4.2',
    process: same('nfsd'),
    user: same('root'),
    command: same('[nfsd]'),
    listens: [...tcp(2049, 111), ...udp(111)],
  },
  samba: {
    id: 'samba',
    category: 'file-service',
    version: '4.18.6',
    process: same('smbd'),
    user: same('root'),
    command: same('/usr/sbin/smbd --foreground --no-process-group'),
    listens: tcp(445),
  },
  'openssh-sftp': {
    id: 'openssh-sftp',
    category: 'file-service',
    version: '8.7p1',
    process: same('sshd'),
    user: same('root'),
    command: same('sshd: /usr/sbin/sshd -D -f /etc/ssh/sshd_config [listener] 0 of 10-100 startups'),
    listens: tcp(22),
  },
  elasticsearch: {
    id: 'elasticsearch',
    category: 'database',
    version: '7.17.16',
    process: same('java'),
    user: same('elasticsearch'),
    command: same(
      '/usr/share/elasticsearch/jdk/bin/java -Xms4g -Xmx4g -Des.path.home=/usr/share/elasticsearch org.elasticsearch.bootstrap.Elasticsearch',
    ),
    listens: tcp(9200, 9300),
  },
  jenkins: {
    id: 'jenkins',
    category: 'other',
    version: '2.426.3',
    process: same('java'),
    user: same('jenkins'),
    command: same('/usr/bin/java -Djava.awt.headless=true -jar /usr/share/java/jenkins.war --httpPort=8080'),
    listens: tcp(8080),
  },
  gitlab: {
    id: 'gitlab',
    category: 'other',
    version: '16.7.2',
    process: same('nginx'),
    user: same('gitlab-www'),
    command: same('nginx: master process /opt/gitlab/embedded/sbin/nginx -p /var/opt/gitlab/nginx'),
    listens: tcp(443),
  },
  nexus: {
    id: 'nexus',
    category: 'other',
    version: '3.64.0',
    process: same('java'),
    user: same('nexus'),
    command: same('/opt/sonatype/nexus/jre/bin/java -Xms2g -Xmx2g -Dkaraf.home=/opt/sonatype/nexus org.sonatype.nexus.karaf.NexusMain'),
    listens: tcp(8081),
  },
  'print-server': {
    id: 'print-server',
    category: 'infrastructure',
    version: '10.0',
    process: same('spoolsv.exe'),
    user: same('SYSTEM'),
    command: same('C:\\Windows\\System32\\spoolsv.exe'),
    listens: tcp(445, 515),
  },
  cron: {
    id: 'cron',
    category: 'scheduler',
    version: '1.5.2',
    process: {linux: 'crond', windows: 'svchost.exe'},
    user: {linux: 'root', windows: 'SYSTEM'},
    command: {linux: '/usr/sbin/crond -n', windows: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule'},
    listens: [],
  },
  // shared services
  bind: {
    id: 'bind',
    category: 'infrastructure',
    version: '9.16.23',
    process: {linux: 'named', windows: 'dns.exe'},
    user: {linux: 'named', windows: 'SYSTEM'},
    command: {linux: '/usr/sbin/named -u named -c /etc/named.conf', windows: 'C:\\Windows\\system32\\dns.exe'},
    listens: [...udp(53), ...tcp(53)],
  },
  'active-directory': {
    id: 'active-directory',
    category: 'directory',
    version: '2016',
    process: same('lsass.exe'),
    user: same('SYSTEM'),
    command: same('C:\\Windows\\system32\\lsass.exe'),
    listens: [...tcp(88, 389, 636, 3268, 3269, 464), ...udp(88, 389, 464)],
  },
  'windows-dns': {
    id: 'windows-dns',
    category: 'infrastructure',
    version: '10.0',
    process: same('dns.exe'),
    user: same('SYSTEM'),
    command: same('C:\\Windows\\system32\\dns.exe'),
    listens: [...udp(53), ...tcp(53)],
  },
  chrony: {
    id: 'chrony',
    category: 'infrastructure',
    version: '4.3',
    process: {linux: 'chronyd', windows: 'svchost.exe'},
    user: {linux: 'chrony', windows: 'LOCAL SERVICE'},
    command: {linux: '/usr/sbin/chronyd -F 2', windows: 'C:\\Windows\\system32\\svchost.exe -k LocalService -s W32Time'},
    listens: udp(123),
  },
  postfix: {
    id: 'postfix',
    category: 'infrastructure',
    version: '3.5.9',
    process: same('master'),
    user: same('root'),
    command: same('/usr/libexec/postfix/master -w'),
    listens: tcp(25),
  },
  'zabbix-server': {
    id: 'zabbix-server',
    category: 'infrastructure',
    version: '6.0.25',
    process: same('zabbix_server'),
    user: same('zabbix'),
    command: same('/usr/sbin/zabbix_server -c /etc/zabbix/zabbix_server.conf'),
    listens: tcp(10051),
  },
  prometheus: {
    id: 'prometheus',
    category: 'infrastructure',
    version: '2.48.1',
    process: same('prometheus'),
    user: same('prometheus'),
    command: same('/usr/local/bin/prometheus --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.retention.time=30d'),
    listens: tcp(9090),
  },
  bacula: {
    id: 'bacula',
    category: 'infrastructure',
    version: '9.6.7',
    process: same('bacula-dir'),
    user: same('bacula'),
    command: same('/usr/sbin/bacula-dir -f -c /etc/bacula/bacula-dir.conf'),
    listens: tcp(9101, 9103),
  },
  wsus: {
    id: 'wsus',
    category: 'infrastructure',
    version: '10.0',
    process: same('WsusService.exe'),
    user: same('NT AUTHORITY\\NetworkService'),
    command: same('"C:\\Program Files\\Update Services\\Services\\WsusService.exe"'),
    listens: tcp(8530, 8531),
  },
  pulp: {
    id: 'pulp',
    category: 'infrastructure',
    version: '3.21',
    process: same('nginx'),
    user: same('nginx'),
    command: same('nginx: master process /usr/sbin/nginx -c /etc/nginx/pulp.conf'),
    listens: tcp(80, 443),
  },
}

/** Listeners every server has besides its workload (remote admin, monitoring and backup agents). */
export const BASE_LISTENS: Readonly<Record<'windows' | 'linux', readonly {protocol: 'tcp' | 'udp'; port: number; process: string}[]>> = {
  linux: [
    {protocol: 'tcp', port: 22, process: 'sshd'},
    {protocol: 'tcp', port: 9102, process: 'bacula-fd'},
    {protocol: 'tcp', port: 10050, process: 'zabbix_agentd'},
  ],
  windows: [
    {protocol: 'tcp', port: 135, process: 'svchost.exe'},
    {protocol: 'tcp', port: 445, process: 'System'},
    {protocol: 'tcp', port: 3389, process: 'svchost.exe'},
    {protocol: 'tcp', port: 5985, process: 'System'},
    {protocol: 'tcp', port: 9102, process: 'bacula-fd.exe'},
    {protocol: 'tcp', port: 10050, process: 'zabbix_agentd.exe'},
  ],
}

/** Processes every server runs besides its workload. */
export const BASE_PROCESSES: Readonly<
  Record<'windows' | 'linux', readonly {name: string; user: string; command: string; cpuPct: number; memoryMib: number}[]>
> = {
  linux: [
    {
      name: 'systemd',
      user: 'root',
      command: '/usr/lib/systemd/systemd --switched-root --system --deserialize 22',
      cpuPct: 0.1,
      memoryMib: 12,
    },
    {name: 'sshd', user: 'root', command: '/usr/sbin/sshd -D', cpuPct: 0, memoryMib: 6},
    {name: 'chronyd', user: 'chrony', command: '/usr/sbin/chronyd', cpuPct: 0, memoryMib: 3},
    {
      name: 'zabbix_agentd',
      user: 'zabbix',
      command: '/usr/sbin/zabbix_agentd -c /etc/zabbix/zabbix_agentd.conf',
      cpuPct: 0.1,
      memoryMib: 8,
    },
    {name: 'bacula-fd', user: 'root', command: '/usr/sbin/bacula-fd -f -c /etc/bacula/bacula-fd.conf', cpuPct: 0, memoryMib: 5},
  ],
  windows: [
    {name: 'System', user: 'SYSTEM', command: 'System', cpuPct: 0.3, memoryMib: 0.1},
    {name: 'lsass.exe', user: 'SYSTEM', command: 'C:\\Windows\\system32\\lsass.exe', cpuPct: 0.1, memoryMib: 24},
    {name: 'svchost.exe', user: 'SYSTEM', command: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p', cpuPct: 0.2, memoryMib: 48},
    {
      name: 'zabbix_agentd.exe',
      user: 'SYSTEM',
      command: '"C:\\Program Files\\Zabbix Agent\\zabbix_agentd.exe" --config "C:\\Program Files\\Zabbix Agent\\zabbix_agentd.conf"',
      cpuPct: 0.1,
      memoryMib: 10,
    },
    {name: 'bacula-fd.exe', user: 'SYSTEM', command: '"C:\\Program Files\\Bacula\\bacula-fd.exe" /service', cpuPct: 0, memoryMib: 6},
  ],
}

// ---------------------------------------------------------------------------------------------
// Stacks: which software each tier of an application runs

export type StackId = 'java-postgres' | 'php-mysql' | 'dotnet-mssql' | 'node-mongo' | 'java-oracle' | 'data-pipeline'

export interface TierSpec {
  readonly family: 'windows' | 'linux'
  readonly software: readonly string[]
}

export interface StackSpec {
  readonly id: StackId
  /** Family most of its servers run (drives the Windows share of an estate). */
  readonly family: 'windows' | 'linux'
  /** Tiers every instance has, in order; the first is the entry point. */
  readonly core: readonly SynthTier[]
  readonly tiers: Readonly<Partial<Record<SynthTier, TierSpec>>>
}

const L = (...software: string[]): TierSpec => ({family: 'linux', software})
const W = (...software: string[]): TierSpec => ({family: 'windows', software})

export const STACKS: Readonly<Record<StackId, StackSpec>> = {
  'java-postgres': {
    id: 'java-postgres',
    family: 'linux',
    core: ['web', 'app', 'db'],
    tiers: {
      web: L('nginx'),
      app: L('tomcat'),
      db: L('postgresql'),
      cache: L('redis'),
      broker: L('rabbitmq'),
      file: L('nfs-server'),
      batch: L('cron'),
    },
  },
  'php-mysql': {
    id: 'php-mysql',
    family: 'linux',
    core: ['web', 'db'],
    tiers: {web: L('apache-httpd'), db: L('mysql'), cache: L('memcached'), file: L('nfs-server'), batch: L('cron')},
  },
  'dotnet-mssql': {
    id: 'dotnet-mssql',
    family: 'windows',
    core: ['web', 'app', 'db'],
    tiers: {
      web: W('iis'),
      app: W('dotnet'),
      db: W('sql-server'),
      cache: L('redis'),
      broker: W('rabbitmq'),
      file: W('windows-file-server'),
      batch: W('cron'),
    },
  },
  'node-mongo': {
    id: 'node-mongo',
    family: 'linux',
    core: ['web', 'app', 'db'],
    tiers: {
      web: L('nginx'),
      app: L('nodejs'),
      db: L('mongodb'),
      cache: L('redis'),
      broker: L('kafka'),
      file: L('nfs-server'),
      batch: L('cron'),
    },
  },
  'java-oracle': {
    id: 'java-oracle',
    family: 'linux',
    core: ['web', 'app', 'db'],
    tiers: {web: L('apache-httpd'), app: L('weblogic'), db: L('oracle'), broker: L('activemq'), file: L('nfs-server'), batch: L('cron')},
  },
  'data-pipeline': {
    id: 'data-pipeline',
    family: 'linux',
    core: ['broker', 'app', 'db'],
    tiers: {
      app: L('tomcat'),
      broker: L('kafka'),
      db: L('postgresql'),
      cache: L('redis'),
      file: L('nfs-server'),
      batch: L('cron'),
      web: L('nginx'),
    },
  },
}

/** How often each stack appears among applications of its family (relative weights). */
export const STACK_MIX: Readonly<Record<'windows' | 'linux', readonly (readonly [StackId, number])[]>> = {
  windows: [['dotnet-mssql', 1]],
  linux: [
    ['java-postgres', 35],
    ['php-mysql', 15],
    ['node-mongo', 15],
    ['java-oracle', 20],
    ['data-pipeline', 15],
  ],
}

// ---------------------------------------------------------------------------------------------
// Sizing and utilisation profiles per tier

export interface TierProfile {
  /** vCPU choices (prod); non-prod halves them, at least 1. */
  readonly vcpus: readonly number[]
  /** Memory choices in GiB (prod); non-prod halves them, at least 2. */
  readonly memoryGib: readonly number[]
  /** Data disk choices in GiB; empty means OS disk only. */
  readonly dataDiskGib: readonly number[]
  /** Median CPU and memory use in prod, percent. */
  readonly cpuPct: number
  readonly memoryPct: number
  /** How far p95 sits above the average (batch is spiky). */
  readonly cpuPeak: readonly [number, number]
  /** Median disk IOPS and network Mbit/s in prod. */
  readonly iops: number
  readonly networkMbps: number
}

export const TIER_PROFILES: Readonly<Record<SynthTier, TierProfile>> = {
  web: {
    vcpus: [2, 4],
    memoryGib: [4, 8],
    dataDiskGib: [0, 20, 50],
    cpuPct: 14,
    memoryPct: 45,
    cpuPeak: [1.8, 2.8],
    iops: 40,
    networkMbps: 40,
  },
  app: {
    vcpus: [4, 8],
    memoryGib: [8, 16],
    dataDiskGib: [50, 100],
    cpuPct: 24,
    memoryPct: 62,
    cpuPeak: [1.8, 2.6],
    iops: 80,
    networkMbps: 25,
  },
  db: {
    vcpus: [4, 8, 16],
    memoryGib: [16, 32, 64],
    dataDiskGib: [200, 500, 1000, 2000],
    cpuPct: 30,
    memoryPct: 80,
    cpuPeak: [1.9, 2.8],
    iops: 900,
    networkMbps: 30,
  },
  cache: {
    vcpus: [2, 4],
    memoryGib: [8, 16, 32],
    dataDiskGib: [0],
    cpuPct: 9,
    memoryPct: 72,
    cpuPeak: [1.6, 2.2],
    iops: 20,
    networkMbps: 35,
  },
  broker: {
    vcpus: [4],
    memoryGib: [8, 16],
    dataDiskGib: [100, 500],
    cpuPct: 16,
    memoryPct: 58,
    cpuPeak: [1.8, 2.5],
    iops: 300,
    networkMbps: 50,
  },
  file: {
    vcpus: [2, 4],
    memoryGib: [4, 8],
    dataDiskGib: [500, 1000, 2000, 4000],
    cpuPct: 6,
    memoryPct: 38,
    cpuPeak: [2, 3],
    iops: 250,
    networkMbps: 60,
  },
  batch: {
    vcpus: [4, 8],
    memoryGib: [8, 16],
    dataDiskGib: [100, 200],
    cpuPct: 9,
    memoryPct: 40,
    cpuPeak: [4, 7],
    iops: 150,
    networkMbps: 15,
  },
  shared: {
    vcpus: [2, 4],
    memoryGib: [4, 8],
    dataDiskGib: [0, 50],
    cpuPct: 8,
    memoryPct: 42,
    cpuPeak: [1.8, 2.6],
    iops: 30,
    networkMbps: 10,
  },
}

/** Load in non-prod environments relative to prod. */
export const ENVIRONMENT_LOAD: Readonly<Record<'dev' | 'test' | 'staging' | 'prod', number>> = {
  dev: 0.35,
  test: 0.45,
  staging: 0.6,
  prod: 1,
}

// ---------------------------------------------------------------------------------------------
// Shared services

export type SharedServiceId = 'ad' | 'dns' | 'ntp' | 'monitoring' | 'backup' | 'patching' | 'smtp'

/** One kind of traffic between a client and a shared service instance. */
export interface SharedFlow {
  /** `to-service`: the client opens the connection; `from-service`: the service polls the client. */
  readonly direction: 'to-service' | 'from-service'
  readonly protocol: 'tcp' | 'udp'
  readonly port: number
  /** Which clients use it. */
  readonly clients: 'all' | 'windows' | 'linux' | 'app-servers'
  /** Process on the side that opens the connection, per OS family of that side. */
  readonly process: {readonly linux: string; readonly windows: string}
  /** Relative share of the service's records. */
  readonly weight: number
  /** Median observations per record. */
  readonly count: number
}

export interface SharedServiceSpec {
  readonly id: SharedServiceId
  readonly label: string
  /** Relative share of all shared-service records. */
  readonly weight: number
  /** Server variants in rotation: the OS and software of the 1st, 2nd … instance. */
  readonly variants: readonly {readonly os: OsId; readonly software: readonly string[]; readonly name: string}[]
  readonly flows: readonly SharedFlow[]
}

export const SHARED_SERVICES: Readonly<Record<SharedServiceId, SharedServiceSpec>> = {
  ad: {
    id: 'ad',
    label: 'Active Directory domain controllers (LDAP, Kerberos, global catalog)',
    weight: 3,
    variants: [{os: 'win2019', software: ['active-directory', 'windows-dns'], name: 'dc'}],
    flows: [
      {
        direction: 'to-service',
        protocol: 'tcp',
        port: 389,
        clients: 'windows',
        process: {linux: 'sssd_be', windows: 'lsass.exe'},
        weight: 3,
        count: 40,
      },
      {
        direction: 'to-service',
        protocol: 'tcp',
        port: 88,
        clients: 'windows',
        process: {linux: 'sssd_be', windows: 'lsass.exe'},
        weight: 2,
        count: 20,
      },
      {
        direction: 'to-service',
        protocol: 'tcp',
        port: 3268,
        clients: 'windows',
        process: {linux: 'sssd_be', windows: 'lsass.exe'},
        weight: 1,
        count: 10,
      },
      {
        direction: 'to-service',
        protocol: 'tcp',
        port: 636,
        clients: 'linux',
        process: {linux: 'sssd_be', windows: 'lsass.exe'},
        weight: 1.5,
        count: 20,
      },
      {
        direction: 'to-service',
        protocol: 'udp',
        port: 88,
        clients: 'linux',
        process: {linux: 'sssd_be', windows: 'lsass.exe'},
        weight: 0.5,
        count: 10,
      },
    ],
  },
  dns: {
    id: 'dns',
    label: 'DNS resolvers',
    weight: 5,
    variants: [{os: 'rhel8', software: ['bind'], name: 'dns'}],
    flows: [
      {
        direction: 'to-service',
        protocol: 'udp',
        port: 53,
        clients: 'all',
        process: {linux: 'systemd-resolved', windows: 'svchost.exe'},
        weight: 9,
        count: 300,
      },
      {
        direction: 'to-service',
        protocol: 'tcp',
        port: 53,
        clients: 'all',
        process: {linux: 'systemd-resolved', windows: 'svchost.exe'},
        weight: 1,
        count: 5,
      },
    ],
  },
  ntp: {
    id: 'ntp',
    label: 'NTP time servers',
    weight: 1,
    variants: [{os: 'rhel8', software: ['chrony'], name: 'ntp'}],
    flows: [
      {
        direction: 'to-service',
        protocol: 'udp',
        port: 123,
        clients: 'all',
        process: {linux: 'chronyd', windows: 'svchost.exe'},
        weight: 1,
        count: 200,
      },
    ],
  },
  monitoring: {
    id: 'monitoring',
    label: 'Monitoring (Zabbix: server polls agents on 10050, active agents push to 10051)',
    weight: 2,
    variants: [{os: 'rhel8', software: ['zabbix-server'], name: 'mon'}],
    flows: [
      {
        direction: 'from-service',
        protocol: 'tcp',
        port: 10050,
        clients: 'all',
        process: {linux: 'zabbix_server', windows: 'zabbix_server'},
        weight: 2,
        count: 1400,
      },
      {
        direction: 'to-service',
        protocol: 'tcp',
        port: 10051,
        clients: 'all',
        process: {linux: 'zabbix_agentd', windows: 'zabbix_agentd.exe'},
        weight: 1,
        count: 700,
      },
    ],
  },
  backup: {
    id: 'backup',
    label: 'Backup (Bacula: director contacts the file daemon on 9102, which sends to the storage daemon on 9103)',
    weight: 1,
    variants: [{os: 'rhel8', software: ['bacula'], name: 'bkp'}],
    flows: [
      {
        direction: 'from-service',
        protocol: 'tcp',
        port: 9102,
        clients: 'all',
        process: {linux: 'bacula-dir', windows: 'bacula-dir'},
        weight: 1,
        count: 14,
      },
      {
        direction: 'to-service',
        protocol: 'tcp',
        port: 9103,
        clients: 'all',
        process: {linux: 'bacula-fd', windows: 'bacula-fd.exe'},
        weight: 1,
        count: 14,
      },
    ],
  },
  patching: {
    id: 'patching',
    label: 'Patching (WSUS for Windows on 8530, a package mirror for Linux on 443)',
    weight: 0.8,
    variants: [
      {os: 'win2019', software: ['wsus'], name: 'wsus'},
      {os: 'rhel8', software: ['pulp'], name: 'repo'},
    ],
    flows: [
      {
        direction: 'to-service',
        protocol: 'tcp',
        port: 8530,
        clients: 'windows',
        process: {linux: 'dnf', windows: 'svchost.exe'},
        weight: 1,
        count: 30,
      },
      {
        direction: 'to-service',
        protocol: 'tcp',
        port: 443,
        clients: 'linux',
        process: {linux: 'dnf', windows: 'svchost.exe'},
        weight: 1,
        count: 15,
      },
    ],
  },
  smtp: {
    id: 'smtp',
    label: 'SMTP relay',
    weight: 0.4,
    variants: [{os: 'rhel8', software: ['postfix'], name: 'smtp'}],
    flows: [
      {
        direction: 'to-service',
        protocol: 'tcp',
        port: 25,
        clients: 'app-servers',
        process: {linux: 'java', windows: 'w3wp.exe'},
        weight: 1,
        count: 25,
      },
    ],
  },
}

/** Order in which shared-service servers are handed out: with 4 servers, ad, dns, monitoring, ntp. */
export const SHARED_ORDER: readonly SharedServiceId[] = ['ad', 'dns', 'monitoring', 'ntp', 'backup', 'patching', 'smtp']

/** Business names that applications are called after. */
export const APP_NAMES: readonly string[] = [
  'billing',
  'orders',
  'payroll',
  'crm',
  'claims',
  'inventory',
  'catalog',
  'checkout',
  'invoicing',
  'ledger',
  'treasury',
  'hr',
  'recruiting',
  'timesheet',
  'expenses',
  'procurement',
  'shipping',
  'tracking',
  'warehouse',
  'pricing',
  'quotes',
  'policy',
  'underwriting',
  'risk',
  'fraud',
  'compliance',
  'audit',
  'reporting',
  'analytics',
  'forecast',
  'planning',
  'portal',
  'intranet',
  'wiki',
  'helpdesk',
  'ticketing',
  'assets',
  'fleet',
  'booking',
  'loyalty',
  'marketing',
  'campaigns',
  'newsletter',
  'search',
  'docs',
  'contracts',
  'esign',
  'identity',
  'partner',
  'supplier',
  'customer',
  'accounts',
  'payments',
  'refunds',
  'tax',
  'gl',
  'budget',
  'mdm',
  'etl',
  'archive',
]
