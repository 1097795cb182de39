#!/bin/sh
set -e
BIN=$1
. "$2/lib.sh"
finish
