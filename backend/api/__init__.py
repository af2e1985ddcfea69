"""Thin routes: parse, call a service, return a schema."""

from fastapi import APIRouter

from backend.api import access, backup_file, copies, groups, health, stats, types
from backend.api.responses import COMMON_ERRORS

api_router = APIRouter(prefix="/api/v1", responses=COMMON_ERRORS)
api_router.include_router(health.router)
api_router.include_router(types.router)
api_router.include_router(groups.router)
api_router.include_router(stats.router)
api_router.include_router(backup_file.router)
api_router.include_router(copies.router)
api_router.include_router(access.router)
