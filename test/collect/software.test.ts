import {describe, expect, it} from 'vitest'

import {countCronEntries, CRON_HEAVY_ENTRIES, detectSoftware, type SoftwareInput} from '../../src/collect/software.js'

const p = (name: string, command?: string, pid = 100): SoftwareInput['processes'][number] => ({name, pid, ...(command ? {command} : {})})
const tcp = (port: number, process?: string): SoftwareInput['listeners'][number] => ({protocol: 'tcp', port, ...(process ? {process} : {})})

// Table: what runs → what is reported, with its evidence.
const CASES: ReadonlyArray<[string, SoftwareInput, ReadonlyArray<{name: string; version?: string; evidence: string[]}>]> = [
  [
    'MySQL',
    {processes: [p('mysqld', '/usr/sbin/mysqld')], listeners: [tcp(3306, 'mysqld')]},
    [{name: 'mysql', evidence: ['process mysqld (pid 100)', 'listens on tcp/3306 (mysqld)']}],
  ],
  [
    'MariaDB as mysqld',
    {processes: [p('mysqld', '/usr/sbin/mysqld --basedir=/usr/lib/mariadb')], listeners: []},
    [{name: 'mariadb', evidence: ['process mysqld (pid 100)']}],
  ],
  [
    'MariaDB',
    {processes: [p('mariadbd')], listeners: [tcp(3306)]},
    [{name: 'mariadb', evidence: ['process mariadbd (pid 100)', 'listens on tcp/3306']}],
  ],
  [
    'PostgreSQL with version',
    {
      processes: [
        p('postgres', '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main', 10),
        p('postgres', 'postgres: checkpointer', 11),
      ],
      listeners: [tcp(5432)],
    },
    [{name: 'postgresql', version: '15', evidence: ['process postgres ×2', 'listens on tcp/5432']}],
  ],
  [
    'PostgreSQL by port only',
    {processes: [], listeners: [tcp(5432)]},
    [{name: 'postgresql', evidence: ['listens on tcp/5432 (port only)']}],
  ],
  [
    'Oracle',
    {
      processes: [p('ora_pmon_ORCL', 'ora_pmon_ORCL'), p('tnslsnr', '/u01/app/oracle/product/19.0.0/dbhome_1/bin/tnslsnr LISTENER', 7)],
      listeners: [tcp(1521)],
    },
    [
      {
        name: 'oracle-database',
        version: '19.0.0',
        evidence: ['process ora_pmon_orcl (pid 100)', 'process tnslsnr (pid 7)', 'listens on tcp/1521'],
      },
    ],
  ],
  [
    'SQL Server on Windows',
    {
      processes: [
        p('sqlservr.exe', 'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe -sMSSQLSERVER'),
      ],
      listeners: [tcp(1433)],
    },
    [{name: 'sql-server', version: 'MSSQL15', evidence: ['process sqlservr (pid 100)', 'listens on tcp/1433']}],
  ],
  ['MongoDB', {processes: [p('mongod')], listeners: []}, [{name: 'mongodb', evidence: ['process mongod (pid 100)']}]],
  [
    'nginx',
    {processes: [p('nginx', 'nginx: master process /usr/sbin/nginx')], listeners: [tcp(80), tcp(443)]},
    [{name: 'nginx', evidence: ['process nginx (pid 100)', 'listens on tcp/80', 'listens on tcp/443']}],
  ],
  ['Apache httpd', {processes: [p('apache2')], listeners: []}, [{name: 'apache-httpd', evidence: ['process apache2 (pid 100)']}]],
  ['IIS', {processes: [p('w3wp.exe')], listeners: [tcp(80)]}, [{name: 'iis', evidence: ['process w3wp (pid 100)', 'listens on tcp/80']}]],
  [
    'Tomcat',
    {
      processes: [p('java', '/usr/bin/java -Dcatalina.home=/opt/apache-tomcat-9.0.80 org.apache.catalina.startup.Bootstrap start')],
      listeners: [tcp(8080)],
    },
    [
      {name: 'tomcat', version: '9.0.80', evidence: ['process java (pid 100)', 'listens on tcp/8080']},
      {name: 'java', evidence: ['process java (pid 100)']},
    ],
  ],
  [
    'WildFly',
    {
      processes: [p('java', 'java -jar /opt/wildfly-26.1.3.Final/jboss-modules.jar -mp /opt/wildfly/modules org.jboss.as.standalone')],
      listeners: [],
    },
    [
      {name: 'jboss-wildfly', version: '26.1.3', evidence: ['process java (pid 100)']},
      {name: 'java', evidence: ['process java (pid 100)']},
    ],
  ],
  [
    'Node.js, not the collector itself',
    {processes: [p('node', 'node app.js', 5), p('node', 'node collector', 4242)], listeners: [], ignorePids: [4242]},
    [{name: 'nodejs', evidence: ['process node (pid 5)']}],
  ],
  ['.NET', {processes: [p('dotnet', 'dotnet Api.dll')], listeners: []}, [{name: 'dotnet', evidence: ['process dotnet (pid 100)']}]],
  [
    'RabbitMQ',
    {processes: [p('beam.smp', '/usr/lib/erlang/erts-13/bin/beam.smp -- -root /usr/lib/erlang -- -s rabbit boot')], listeners: [tcp(5672)]},
    [{name: 'rabbitmq', evidence: ['process beam.smp (pid 100)', 'listens on tcp/5672']}],
  ],
  [
    'ActiveMQ',
    {processes: [p('java', 'java -jar /opt/activemq/bin/activemq.jar start')], listeners: [tcp(61616)]},
    [
      {name: 'java', evidence: ['process java (pid 100)']},
      {name: 'activemq', evidence: ['process java (pid 100)', 'listens on tcp/61616']},
    ],
  ],
  [
    'Kafka',
    {processes: [p('java', 'java -Xmx1G kafka.Kafka /opt/kafka/config/server.properties')], listeners: [tcp(9092)]},
    [
      {name: 'java', evidence: ['process java (pid 100)']},
      {name: 'kafka', evidence: ['process java (pid 100)', 'listens on tcp/9092']},
    ],
  ],
  [
    'Redis',
    {processes: [p('redis-server')], listeners: [tcp(6379)]},
    [{name: 'redis', evidence: ['process redis-server (pid 100)', 'listens on tcp/6379']}],
  ],
  ['Memcached by port', {processes: [], listeners: [tcp(11211)]}, [{name: 'memcached', evidence: ['listens on tcp/11211 (port only)']}]],
  [
    'NFS',
    {processes: [p('rpc.mountd')], listeners: [tcp(2049)]},
    [{name: 'nfs', evidence: ['process rpc.mountd (pid 100)', 'listens on tcp/2049']}],
  ],
  ['Samba', {processes: [p('smbd')], listeners: [tcp(445)]}, [{name: 'samba', evidence: ['process smbd (pid 100)', 'listens on tcp/445']}]],
  [
    'Cron-heavy batch',
    {processes: [p('cron')], listeners: [], cronEntries: CRON_HEAVY_ENTRIES + 2},
    [{name: 'cron-batch', evidence: ['process cron (pid 100)', '12 cron entries']}],
  ],
  ['Cron with few entries is not batch', {processes: [p('cron')], listeners: [], cronEntries: 3}, []],
  ['Port 80 alone says nothing', {processes: [], listeners: [tcp(80), tcp(8080)]}, []],
  ['Nothing known', {processes: [p('bash'), p('sshd')], listeners: [tcp(22)]}, []],
]

describe('detectSoftware', () => {
  it.each(CASES)('%s', (_name, input, expected) => {
    expect(detectSoftware(input).map(({name, version, evidence}) => ({name, ...(version ? {version} : {}), evidence}))).toEqual(expected)
  })
})

describe('countCronEntries', () => {
  it('counts jobs, not comments, blank lines or settings', () => {
    expect(
      countCronEntries(
        '# m h dom mon dow command\nSHELL=/bin/sh\nPATH=/usr/bin\n\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n@reboot /opt/job\n',
      ),
    ).toBe(2)
  })
})
