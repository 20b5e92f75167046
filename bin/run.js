#!/usr/bin/env -S node --max-semi-space-size=64
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
