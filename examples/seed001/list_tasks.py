# Seed 001's list endpoint: GET /tasks?status&challenge_type&limit&offset -> {tasks, total, limit, offset}.
import os

import requests

BASE = os.environ.get("TASK_MARKET_URL", "http://task-market:8080")

page = requests.get(f"{BASE}/tasks", params={"status": "pending", "challenge_type": "inference", "limit": 20, "offset": 0}).json()
print(page)
