#!/usr/bin/env -S node --max-semi-space-size=64 --heap-growing-percent=30
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
